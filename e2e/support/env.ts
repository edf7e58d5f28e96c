// Where global setup tells the tests to find the server it started.
export const BASE_URL_VAR = 'SLUICE_E2E_BASE_URL';
/** The one-time link `sluice start` printed (good once, for one test). */
export const LOGIN_URL_VAR = 'SLUICE_E2E_LOGIN_URL';
/** The server's token, read from <data-dir>/state/token: tests mint sign-in links with it. */
export const TOKEN_VAR = 'SLUICE_E2E_TOKEN';
/** The bootstrap address of the Kafka broker global setup started. */
export const KAFKA_BOOTSTRAP_VAR = 'SLUICE_E2E_KAFKA_BOOTSTRAP';
/** Where the PostgreSQL server global setup started is, as JSON ({host, port, user, password, database}). */
export const POSTGRES_VAR = 'SLUICE_E2E_POSTGRES';
