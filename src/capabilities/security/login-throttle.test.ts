import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.js';

describe('login throttle', () => {
  it('locks an address for a minute after five wrong passwords, and a success clears it', () => {
    const throttle = createLoginThrottle();
    for (let i = 0; i < 4; i++) throttle.failed('a@example.test', 1000 + i);
    expect(throttle.blockedFor('a@example.test', 1010)).toBe(0);
    throttle.failed('a@example.test', 1010);
    expect(throttle.blockedFor('a@example.test', 1010)).toBe(60_000);
    expect(throttle.blockedFor('a@example.test', 61_010)).toBe(0);
    expect(throttle.blockedFor('b@example.test', 1010)).toBe(0);
    throttle.succeeded('a@example.test');
    expect(throttle.blockedFor('a@example.test', 1020)).toBe(0);
  });

  it('forgets failures older than its window', () => {
    const throttle = createLoginThrottle();
    for (let i = 0; i < 4; i++) throttle.failed('a@example.test', 0);
    throttle.failed('a@example.test', 16 * 60_000);
    expect(throttle.blockedFor('a@example.test', 16 * 60_000)).toBe(0);
  });
});
