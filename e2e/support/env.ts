// Where global setup tells the tests to find the server it started.
export const BASE_URL_VAR = 'SLUICE_E2E_BASE_URL';
export const LOGIN_URL_VAR = 'SLUICE_E2E_LOGIN_URL';
/** The bootstrap address of the Kafka broker global setup started. */
export const KAFKA_BOOTSTRAP_VAR = 'SLUICE_E2E_KAFKA_BOOTSTRAP';
