import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

const reply = z.string();
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * A Lua script that takes one named request: its type is the script's argument list, so a field cannot be
 * misplaced or forgotten the way a positional ARGV can. As ioredis's defineCommand does: EVAL the first time on a
 * connection (which loads it), EVALSHA after, and EVAL again should Redis have lost its scripts (a restart).
 */
export class LuaScript<Request extends object> {
  private readonly sha: string;
  private readonly loadedOn = new WeakSet<Redis>();

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run<Context extends object>(redis: Redis, context: Context, request: Request): Promise<string> {
    // ioredis sends a lone surrogate as U+FFFD; cjson would refuse its JSON escape.
    const argument = JSON.stringify({ ...context, ...request }, (_key, value: unknown) => (typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value));
    if (this.loadedOn.has(redis)) {
      try {
        return reply.parse(await redis.evalsha(this.sha, 0, argument));
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      }
    }
    const answer = reply.parse(await redis.eval(this.lua, 0, argument));
    this.loadedOn.add(redis);
    return answer;
  }
}
