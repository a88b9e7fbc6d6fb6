import { LuaScript } from '../../src/adapters/persistence/redis/lua-script';
import * as scripts from '../../src/adapters/persistence/redis/redis-call-store-scripts';

const all = Object.entries(scripts).flatMap(([name, script]) => (script instanceof LuaScript ? [[name, script.lua] as const] : []));

describe('the call store scripts', () => {
  it('are all found', () => {
    expect(all.map(([name]) => name)).toHaveLength(21);
  });

  it.each(all)('%s reads one named request (ARGV[1]) and no positional argument', (_name, lua) => {
    expect(lua).toContain('local request = cjson.decode(ARGV[1])');
    expect(lua.match(/ARGV\[\d+\]/g)).toEqual(['ARGV[1]']);
  });

  it.each(all)('%s answers through cjson.encode, never JSON put together by hand', (_name, lua) => {
    // A fragment of JSON in a Lua string: '{"', '["', ',"', '":', '"}' and the like.
    expect(lua).not.toMatch(/'[{[,]"|"[}\]:]'|'":/);
    expect(lua).toContain('cjson.encode(');
  });
});
