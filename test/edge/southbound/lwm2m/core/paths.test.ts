import t from 'tap';
import { Lwm2mPath, parsePath, formatPath } from '../../../../../edge/southbound/lwm2m/core/index.js';
import { throwsCode } from '../../../../helpers/errors.js';

t.test('parse and format', async (t) => {
  t.same(parsePath('/').ids, []);
  t.equal(parsePath('/').level, 'root');
  t.same(parsePath('/3').ids, [3]);
  t.equal(parsePath('/3/0').level, 'instance');
  const p = parsePath('/3/0/11/2');
  t.same(p.ids, [3, 0, 11, 2]);
  t.equal(p.level, 'resourceInstance');
  t.equal(p.objectId, 3);
  t.equal(p.instanceId, 0);
  t.equal(p.resourceId, 11);
  t.equal(p.resourceInstanceId, 2);
  t.equal(formatPath(p), '/3/0/11/2');
  t.equal(parsePath('/65535/65535/65535/65535').toString(), '/65535/65535/65535/65535');
  t.equal(JSON.stringify({ p: parsePath('/3/0/1') }), '{"p":"/3/0/1"}');
});

t.test('navigation', async (t) => {
  const p = Lwm2mPath.of(3, 0);
  t.equal(p.child(1).toString(), '/3/0/1');
  t.equal(p.parent()?.toString(), '/3');
  t.equal(Lwm2mPath.ROOT.parent(), undefined);
  t.ok(parsePath('/3/0/1').startsWith(p));
  t.ok(parsePath('/3/0/1').startsWith(Lwm2mPath.ROOT));
  t.notOk(parsePath('/3/1/1').startsWith(p));
  t.ok(parsePath('/3/0').equals(p));
  t.notOk(parsePath('/3/0/1').equals(p));
});

t.test('coded errors for malformed paths', async (t) => {
  for (const bad of [
    '',
    '3/0/1',
    '/3/',
    '//3',
    '/3//0',
    '/a',
    '/-1',
    '/03',
    '/65536',
    '/1/2/3/4/5',
    '/3/0/1 ',
    '/ 3',
    '/1e3',
    '/99999999999999999999999',
  ]) {
    throwsCode(t, () => parsePath(bad), 'LWM2M_ERR_PATH');
  }
  throwsCode(t, () => Lwm2mPath.of(1, 2, 3, 4, 5), 'LWM2M_ERR_PATH');
  throwsCode(t, () => Lwm2mPath.of(1.5), 'LWM2M_ERR_PATH');
  throwsCode(t, () => Lwm2mPath.of(3).child(70000), 'LWM2M_ERR_PATH');
  throwsCode(t, () => parsePath('/1'.repeat(1000)), 'LWM2M_ERR_PATH', /too long/);
});
