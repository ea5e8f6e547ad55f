/**
 * The certificate and key of the HTTPS listener (http.tls; docs/reference/security.md,
 * "Transport"): the files http.cert_file and http.key_file when given, else the server certificate
 * the fleet CA issued for tls.hostnames at this start (the one MQTT over TLS serves; its key is
 * only in memory).
 */
import { readFileSync } from 'node:fs';
import { YiwangError } from '../../common/errors.js';

export interface HttpsSource {
  tls: boolean;
  cert_file: string;
  key_file: string;
}
export interface HttpsCredentials {
  cert: string | Buffer;
  key: string | Buffer;
}

/** The given files, read before the cloud opens or binds anything; undefined without them. */
export function readHttpsFiles(http: HttpsSource): HttpsCredentials | undefined {
  if (!http.tls || !http.cert_file) return undefined;
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new YiwangError('CONFIG_ERR_READ', `${what} ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  return { cert: read(http.cert_file, 'http.cert_file'), key: read(http.key_file, 'http.key_file') };
}

/** What the HTTPS listener serves: the given files, else the fleet CA's server certificate. */
export function httpsCredentials(
  files: HttpsCredentials | undefined,
  pki: { serverCertPem: string; serverKeyPem: string },
): HttpsCredentials {
  return files ?? { cert: pki.serverCertPem, key: pki.serverKeyPem };
}
