/** Human log lines (common/log-pretty.ts): layout, colour, and no terminal control from log content. */
import t from 'tap';
import { prettyLine, safeText } from '../../common/log-pretty.js';

const line = (o: Record<string, unknown>): string =>
  JSON.stringify({ level: 30, time: new Date(2025, 0, 2, 3, 4, 5, 6).getTime(), pid: 1, name: 'yiwang-edge', ...o });

t.test('layout: time, level, component, message, the other fields', async (t) => {
  t.equal(
    prettyLine(line({ component: 'coap', port: 5683, host: '0.0.0.0', msg: 'listening' }), false),
    '03:04:05.006 INFO  coap: listening port=5683 host=0.0.0.0\n',
  );
  t.equal(
    prettyLine(line({ level: 50, code: 'EDGE_ERR_STORE', err: 'disk I/O error', msg: 'commit failed' }), false),
    '03:04:05.006 ERROR commit failed code=EDGE_ERR_STORE err="disk I/O error"\n',
  );
  t.equal(prettyLine(line({ msg: 'x', devices: { online: 2 } }), false), '03:04:05.006 INFO  x devices={"online":2}\n');
  t.equal(prettyLine('not json', false), 'not json\n');
});

t.test('colour: the level and dimmed fields, only when asked', async (t) => {
  t.match(prettyLine(line({ level: 40, msg: 'w', a: 1 }), true), /\x1b\[33mWARN \x1b\[0m w \x1b\[2ma=1\x1b\[0m/);
  t.notMatch(prettyLine(line({ level: 40, msg: 'w' }), false), /\x1b/);
});

t.test('control characters and bidi overrides in messages, keys and values are escaped', async (t) => {
  const evil = 'dev\x1b]0;pwned\x07\x1b[2J\u202e\r\n\x9b31m';
  const out = prettyLine(line({ msg: evil, deviceId: evil, [evil]: 1 }), true);
  t.notMatch(
    out.replace(/\x1b\[[0-9;]*m/g, '').slice(0, -1),
    /[\x00-\x1f\x7f-\x9f\u202e]/,
    'nothing but our own SGR reaches the terminal',
  );
  t.match(out, /dev\\u001b\]0;pwned\\u0007/);
  t.equal(safeText('a\u2028b'), 'a\\u2028b');
});
