import { bearerMatches, metricsAccess } from '../../src/adapters/metrics/metrics-access';

const TOKEN = 'metrics-token-0123456789';

describe('metricsAccess', () => {
  it.each([
    [{ enabled: true, token: TOKEN, production: true }, { kind: 'bearer', token: TOKEN }],
    [{ enabled: true, token: TOKEN, production: false }, { kind: 'bearer', token: TOKEN }],
    [{ enabled: true, token: undefined, production: false }, { kind: 'open' }],
    [{ enabled: true, token: undefined, production: true }, null],
    [{ enabled: false, token: TOKEN, production: true }, null],
    [{ enabled: false, token: undefined, production: false }, null],
  ])('%j gives %j', (settings, access) => {
    expect(metricsAccess(settings)).toEqual(access);
  });
});

describe('bearerMatches', () => {
  it.each([`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `Bearer  ${TOKEN}`])('accepts %s', (header) => {
    expect(bearerMatches(header, TOKEN)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    TOKEN,
    `Basic ${TOKEN}`,
    `Bearer ${TOKEN.slice(0, -1)}`,
    `Bearer ${TOKEN}x`,
    `Bearer ${TOKEN.toUpperCase()}`,
    `Bearer ${TOKEN} extra`,
  ])('refuses %s', (header) => {
    expect(bearerMatches(header, TOKEN)).toBe(false);
  });
});
