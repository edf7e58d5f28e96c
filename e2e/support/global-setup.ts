// One real server for the whole run. The tests read where it is from the
// environment, which Playwright's workers inherit from this process.
import { BASE_URL_VAR, LOGIN_URL_VAR } from './env.js';
import { startSluiceServer } from './sluice-server.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startSluiceServer();
  process.env[BASE_URL_VAR] = server.baseURL;
  process.env[LOGIN_URL_VAR] = server.loginURL;
  console.log(`Sluice server for the e2e tests: ${server.baseURL} (data in ${server.dataDir})`);
  return () => server.stop();
}
