import { entryRefusal, placement, successor, type EntryFacts, type PlacementFacts } from '../../src/domain/call-rules';

describe('entryRefusal', () => {
  const base: EntryFacts = { alreadyIn: false, banned: false, live: true, locked: false, isOwner: false, size: 1, capacity: 3 };

  it.each([
    ['nothing in the way', {}, null],
    ['a banned key', { banned: true }, 'banned'],
    ['a ban before the lock and capacity', { banned: true, locked: true, size: 3 }, 'banned'],
    ['a locked call', { locked: true }, 'locked'],
    ['a locked call, for its owner', { locked: true, isOwner: true }, null],
    ['the lock before capacity', { locked: true, size: 3 }, 'locked'],
    ['a full call', { size: 3 }, 'full'],
    ['a full call, for its owner too', { size: 3, isOwner: true }, 'full'],
    ['a call not live: no lock, nobody in it', { live: false, locked: true, size: 9 }, null],
    ['rejoining one’s own call, whatever else', { alreadyIn: true, banned: true, locked: true, size: 3 }, null],
  ] as const)('%s', (_name, facts, expected) => {
    expect(entryRefusal({ ...base, ...facts })).toBe(expected);
  });
});

describe('placement', () => {
  const base: PlacementFacts = { alreadyIn: false, lobbyOn: false, isOwner: false, owned: false, hasHost: true, loggedIn: true };

  it.each([
    ['a member of an ad-hoc call with a host', {}, 'member'],
    ['a logged-in joiner of an ad-hoc call without a host becomes host', { hasHost: false }, 'host'],
    ['a guest never becomes host by joining', { hasHost: false, loggedIn: false }, 'member'],
    ['the owner is host, host or not', { owned: true, isOwner: true }, 'host'],
    ['in an owned call nobody else becomes host by joining', { owned: true, hasHost: false }, 'member'],
    ['the lobby holds a newcomer back', { lobbyOn: true }, 'wait'],
    ['the lobby lets in who becomes host by joining', { lobbyOn: true, hasHost: false }, 'host'],
    ['the lobby lets the owner in', { lobbyOn: true, owned: true, isOwner: true }, 'host'],
    ['the lobby does not hold back one already in', { lobbyOn: true, alreadyIn: true }, 'member'],
  ] as const)('%s', (_name, facts, expected) => {
    expect(placement({ ...base, ...facts })).toBe(expected);
  });
});

describe('successor', () => {
  it.each([
    ['the first logged-in one, in join order', [null, 'u2', 'u3'], 1],
    ['nobody when only guests remain', [null, null], undefined],
    ['nobody when nobody remains', [], undefined],
  ] as const)('%s', (_name, userIds, index) => {
    const remaining = userIds.map((userId, i) => ({ id: `p${i}`, userId }));
    expect(successor(remaining)).toBe(index === undefined ? undefined : remaining[index]);
  });
});
