// autocannon 8 ships no typings and @types/autocannon is not installed: the
// part of its API the load test uses, from its README ("API" and "Results").
declare module 'autocannon' {
  export interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds to wait for a response before counting a timeout. */
    timeout?: number;
    headers?: Record<string, string>;
    title?: string;
    /** Worker threads that send the requests; 0 or absent: this thread. */
    workers?: number;
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }

  export interface Result {
    title?: string;
    url: string;
    /** Requests sent per second. */
    requests: Histogram;
    /** Milliseconds. */
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    statusCodeStats: Record<string, { count: number }>;
    connections: number;
  }

  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
