import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeSettings, setting, settingInfoOf } from './setting.js';
import { bool, oneOf, port } from './fields.js';

describe('setting metadata on zod fields', () => {
  it('describes a copy: one shared rule can describe several settings', () => {
    const identifier = z.string().regex(/^[A-Z]+$/);
    const a = setting(identifier, { flag: 'a', description: 'first' });
    const b = setting(identifier.optional(), { flag: 'b', description: 'second' });
    expect(settingInfoOf(a)?.flag).toBe('a');
    expect(settingInfoOf(b)?.flag).toBe('b');
    expect(settingInfoOf(identifier)).toBeUndefined();
    expect(settingInfoOf(a.default('X'))?.flag).toBe('a'); // found through wrappers
  });

  it('lists the described fields in order, nested objects included, with defaults as text and secrets without theirs', () => {
    const schema = z.object({
      hosts: setting(z.array(z.string()).default(['a:1', 'b:2']), { flag: 'hosts', env: 'HOSTS', description: 'hosts' }),
      internal: z.number().default(3),
      auth: z
        .object({
          user: setting(z.string(), { flag: 'user', description: 'user' }),
          password: setting(z.string().default('changeme'), { flag: 'password', secret: true, description: 'password' }),
        })
        .optional(),
      tls: setting(bool.default(false), { flag: 'tls', description: 'TLS' }),
    });
    expect(describeSettings(schema).map((d) => [d.path.join('.'), d.default])).toEqual([
      ['hosts', 'a:1,b:2'],
      ['auth.user', undefined],
      ['auth.password', undefined],
      ['tls', 'false'],
    ]);
  });

  it('field schemas take text from the environment as well as typed values, with a message naming what is expected', () => {
    expect(port().parse('443')).toBe(443);
    expect(port().parse(443)).toBe(443);
    expect(port().safeParse('70000').error?.issues[0]?.message).toBe('expected a port number');
    expect(bool.parse('true')).toBe(true);
    expect(oneOf(['none', 'gzip', 'lz4']).safeParse('zstd').error?.issues[0]?.message).toBe('expected none, gzip or lz4');
  });
});
