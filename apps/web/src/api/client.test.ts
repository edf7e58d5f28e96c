import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, onUnauthorized, SIGN_IN_MESSAGE } from './client.js';

afterEach(() => vi.unstubAllGlobals());

describe('the API client', () => {
  it('tells its listeners when the server refuses the session', async () => {
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 401 }));
    const refused = vi.fn();
    const stop = onUnauthorized(refused);
    await expect(api.catalog()).rejects.toEqual(new ApiError(401, 'unauthorized', SIGN_IN_MESSAGE));
    expect(refused).toHaveBeenCalledTimes(1);
    stop();
    await expect(api.list()).rejects.toBeInstanceOf(ApiError);
    expect(refused).toHaveBeenCalledTimes(1);
  });

  it('does not call them for other errors', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({ error: { code: 'not-found', message: 'No such pipeline.' } }),
          {
            status: 404,
          },
        ),
    );
    const refused = vi.fn();
    const stop = onUnauthorized(refused);
    await expect(api.get('x')).rejects.toMatchObject({ status: 404, message: 'No such pipeline.' });
    expect(refused).not.toHaveBeenCalled();
    stop();
  });
});
