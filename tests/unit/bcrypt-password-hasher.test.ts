import bcrypt from 'bcrypt';
import { BcryptPasswordHasher, bcryptConcurrency } from '../../src/adapters/security/bcrypt-password-hasher';

describe('BcryptPasswordHasher', () => {
  afterEach(() => jest.restoreAllMocks());

  /** Counts bcrypt operations in flight at once while still running the real ones. */
  function watchConcurrency() {
    let inFlight = 0;
    const watched = { most: 0 };
    const track = <T>(work: Promise<T>): Promise<T> => {
      inFlight += 1;
      watched.most = Math.max(watched.most, inFlight);
      return work.finally(() => (inFlight -= 1));
    };
    const { compare, hash } = bcrypt;
    // bcrypt's typings end with the callback overloads (returning void); the hasher uses the promise form.
    /* eslint-disable @typescript-eslint/no-misused-promises */
    jest.spyOn(bcrypt, 'compare').mockImplementation((plain: string | Buffer, encrypted: string) => track(compare(plain, encrypted)));
    jest.spyOn(bcrypt, 'hash').mockImplementation((plain: string | Buffer, rounds: string | number) => track(hash(plain, rounds)));
    /* eslint-enable @typescript-eslint/no-misused-promises */
    return watched;
  }

  it('keeps two threads of the pool out of bcrypt reach', () => {
    expect(bcryptConcurrency(4)).toBe(2);
    expect(bcryptConcurrency(16)).toBe(14);
    expect(bcryptConcurrency(2)).toBe(1);
    expect(bcryptConcurrency(1)).toBe(1);
  });

  it('runs no more bcrypt operations at once than allowed, and every answer is still right', async () => {
    const hasher = new BcryptPasswordHasher(4, 2);
    const stored = await hasher.hash('correct horse');
    const watched = watchConcurrency();
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => hasher.verify(i % 2 ? 'correct horse' : 'wrong horse', stored)),
      hasher.verify('correct horse', null),
      hasher.hash('another one'),
    ]);
    expect(watched.most).toBe(2);
    expect(answers.slice(0, 7)).toEqual([false, true, false, true, false, true, false]);
    expect(await bcrypt.compare('another one', answers[7] as string)).toBe(true);
  });
});
