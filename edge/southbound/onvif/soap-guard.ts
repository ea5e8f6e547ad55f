/**
 * A check of every camera answer before the `onvif` package parses it. The package hands the whole
 * HTTP body to its parseSOAPString, whose namespace-stripping regular expression and sax's
 * declaration handling take time quadratic in the body for some inputs: 16 KB of `<!aaaa…` held the
 * event loop 1.8 s (64 KB: half a minute), 64 KB of `xmlns` repeated 0.3 s — a camera (or anyone
 * answering in its name) could freeze the agent, every device's uplinks with it
 * (test/fuzz/corpus/onvif/crash-*). SOAP forbids document type and other declarations (SOAP 1.2
 * part 1 §5), so a body with one, an oversized body, or one with more `xmlns` than attributes can
 * hold is refused before the package sees it: the call fails as an answer that is not ONVIF.
 *
 * The package keeps parseSOAPString in a module-level constant, read when its lib/cam.js loads:
 * install() must run before the first `import 'onvif'` (onvif-client.ts imports this module first)
 * and reports false when the package was loaded before (the body is then parsed unchecked).
 */
import { createRequire } from 'node:module';

/** Largest camera answer parsed (a GetProfiles of many profiles is tens of KB). */
export const MAX_SOAP_BYTES = 1024 * 1024;
/** More `xmlns` than this and the answer is refused (real answers declare a few dozen namespaces). */
const MAX_XMLNS = 1000;

type Callback = (err: Error | null, result?: unknown, xml?: string, statusCode?: number) => void;
type ParseSoap = (xml: string, callback: Callback, statusCode?: number) => void;

/** Why a camera answer is not parsed, or undefined when it may be. */
export function soapProblem(xml: string): string | undefined {
  if (xml.length > MAX_SOAP_BYTES) return `answer of ${xml.length} characters (at most ${MAX_SOAP_BYTES})`;
  for (let i = xml.indexOf('<!'); i >= 0; i = xml.indexOf('<!', i + 2)) {
    if (!xml.startsWith('<!--', i) && !xml.startsWith('<![CDATA[', i))
      return 'answer holds a document type or other declaration, which SOAP forbids';
  }
  let n = 0;
  for (let i = xml.indexOf('xmlns'); i >= 0; i = xml.indexOf('xmlns', i + 5))
    if (++n > MAX_XMLNS) return `answer names xmlns more than ${MAX_XMLNS} times`;
  return undefined;
}

let installed: boolean | undefined;

/** Puts the check in front of the package's parseSOAPString; false when the package loaded before it could. */
export function installSoapGuard(): boolean {
  if (installed !== undefined) return installed;
  const require = createRequire(import.meta.url);
  const camPath = require.resolve('onvif/lib/cam.js');
  const utils = require('onvif/lib/utils.js') as { parseSOAPString: ParseSoap };
  if (require.cache[camPath]) {
    installed = false;
    return installed;
  }
  const parse = utils.parseSOAPString;
  utils.parseSOAPString = (xml, callback, statusCode) => {
    const problem = typeof xml === 'string' ? soapProblem(xml) : undefined;
    if (problem) return callback(new Error(problem), null, '', statusCode);
    return parse(xml, callback, statusCode);
  };
  installed = true;
  return installed;
}

export const soapGuardInstalled = installSoapGuard();
