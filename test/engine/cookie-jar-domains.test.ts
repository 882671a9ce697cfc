import { describe, expect, it } from 'vitest';
import { MAX_COOKIE_BYTES, MAX_COOKIES, SessionCookieJar } from '../../src/engine/cookie-jar.js';

// Security review: a backend's Set-Cookie must never reach another backend of the same project.
describe('backend cookies stay with the hosts that may receive them', () => {
  it('refuses a Domain that is a bare top-level label (Domain=com, Domain=.localhost)', () => {
    const jar = new SessionCookieJar();
    jar.store('https://api.shop.com/login', ['sid=secret; Domain=com; Path=/', 'lid=secret2; Domain=.com']);
    jar.store('http://api.localhost/login', ['dev=secret3; Domain=.localhost']);
    expect(jar.cookieHeader('https://evil.com/')).toBeUndefined();
    expect(jar.cookieHeader('https://api.shop.com/')).toBeUndefined();
    expect(jar.cookieHeader('http://other.localhost/')).toBeUndefined();
  });

  it('still lets a backend widen a cookie to its own registrable parent domain', () => {
    const jar = new SessionCookieJar();
    jar.store('https://api.shop.com/login', ['sid=s1; Domain=.shop.com; Path=/']);
    expect(jar.cookieHeader('https://www.shop.com/x')).toBe('sid=s1');
    expect(jar.cookieHeader('https://notshop.com/x')).toBeUndefined();
  });

  it('keeps IP-address cookies to that exact address (sound before the review)', () => {
    const jar = new SessionCookieJar();
    jar.store('http://10.0.0.1/login', ['a=1; Domain=0.0.1', 'b=2; Domain=10.0.0.1']);
    expect(jar.cookieHeader('http://10.0.0.1/')).toBe('b=2');
    expect(jar.cookieHeader('http://10.0.0.10/')).toBeUndefined();
    expect(jar.cookieHeader('http://110.0.0.1/')).toBeUndefined();
  });

  it('bounds the count and the size of the cookies a backend sets (sound before the review)', () => {
    const jar = new SessionCookieJar();
    jar.store('https://api.shop.com/', Array.from({ length: MAX_COOKIES + 50 }, (_, i) => `c${i}=v`));
    expect(jar.toJSON()).toHaveLength(MAX_COOKIES);
    jar.store('https://api.shop.com/', [`big=${'x'.repeat(MAX_COOKIE_BYTES)}`]);
    expect(jar.toJSON().some((c) => c.name === 'big')).toBe(false);
  });
});
