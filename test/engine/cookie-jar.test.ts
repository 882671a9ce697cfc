import { describe, expect, it } from 'vitest';
import { MAX_COOKIES, SessionCookieJar } from '../../src/engine/cookie-jar.js';

describe('SessionCookieJar', () => {
  it('matches host, Domain, Path and Secure like a browser', () => {
    let now = 1_000_000;
    const jar = new SessionCookieJar([], () => now);
    jar.store('http://api.example.com/auth/login', ['a=1', 'b=2; Path=/', 'c=3; Domain=example.com; Path=/', 'd=4; Secure', 'e=5; Domain=evil.com']);
    // d was set over http with Secure: refused; e names another domain: refused
    expect(jar.toJSON().map((c) => c.name).sort()).toEqual(['a', 'b', 'c']);
    expect(jar.cookieHeader('http://api.example.com/auth/me')).toBe('a=1; b=2; c=3');
    expect(jar.cookieHeader('http://api.example.com/other')).toBe('b=2; c=3');
    expect(jar.cookieHeader('http://www.example.com/')).toBe('c=3');
    expect(jar.cookieHeader('http://example.org/')).toBeUndefined();
    jar.store('https://api.example.com/', ['s=6; Secure; Max-Age=10']);
    expect(jar.cookieHeader('https://api.example.com/x')).toBe('b=2; c=3; s=6');
    expect(jar.cookieHeader('http://api.example.com/x')).toBe('b=2; c=3');
    now += 11_000;
    expect(jar.cookieHeader('https://api.example.com/x')).toBe('b=2; c=3');
  });

  it('replaces, deletes with Max-Age=0, survives JSON and stays bounded', () => {
    const jar = new SessionCookieJar();
    expect(jar.changed).toBe(false);
    jar.store('http://h.test/', ['sid=1; Path=/']);
    jar.store('http://h.test/', ['sid=2; Path=/']);
    expect(jar.changed).toBe(true);
    const copy = new SessionCookieJar(JSON.parse(JSON.stringify(jar.toJSON())));
    expect(copy.cookieHeader('http://h.test/a')).toBe('sid=2');
    expect(copy.changed).toBe(false);
    copy.store('http://h.test/', ['sid=; Max-Age=0; Path=/']);
    expect(copy.cookieHeader('http://h.test/a')).toBeUndefined();
    expect(copy.changed).toBe(true);
    // garbage in the store is dropped, not trusted
    expect(new SessionCookieJar([{ name: 1 }, 'x', null]).toJSON()).toEqual([]);
    const many = new SessionCookieJar();
    many.store('http://h.test/', Array.from({ length: MAX_COOKIES + 20 }, (_, i) => `k${i}=v`));
    expect(many.toJSON()).toHaveLength(MAX_COOKIES);
  });
});
