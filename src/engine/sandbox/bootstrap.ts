/**
 * Code run once in each fresh sandbox context. It receives two host functions, `h(key)` (the JSON text of
 * one value, or undefined) and `l(level, text)` (a log line), and returns the entry points the engine
 * calls: `run(fn)` (call, return JSON text), `drop(keysJson)` (forget cached values that changed),
 * `variable(name)` (define a global getter for a new variable name).
 *
 * Data crosses the boundary only as JSON text and only when code reads it: `steps`, `variables` and
 * `meta` are read-only Proxy views that ask the host for one entry at a time ('s'+id, 'v'+name, 'm'+id;
 * 'S'/'V'/'M' list the keys) and cache it until the engine says it changed, so a 50 MB response nobody
 * reads is never copied in. `item`, `index` and `session` are getters ('i', 'x', 'e'). Values are
 * deep-frozen: code returns new values instead of changing sources. They are frozen by a JSON.parse reviver,
 * bottom-up as they are built, cheaper than a second walk over the parsed value with for-in.
 * `console.*` goes to the logger.
 *
 * The source is kept compact on purpose: QuickJS compiles it for every new context, and compile time
 * grows with its size (it is the largest part of opening a sandbox).
 */
export const BOOTSTRAP = `(function(h,l){'use strict';
const c=new Map(),G=globalThis,D=Object.defineProperty,u=undefined,
Z=(k,v)=>typeof v=='object'&&v!==null?Object.freeze(v):v,
R=k=>{if(c.has(k))return c.get(k);const t=h(k),v=t===u?u:JSON.parse(t,Z);c.set(k,v);return v},
r=(p,n)=>typeof n=='string'?R(p+n):u,
V=(p,L)=>new Proxy({},{get:(_,n)=>r(p,n),has:(_,n)=>r(p,n)!==u,ownKeys:()=>JSON.parse(h(L)),
getOwnPropertyDescriptor:(_,n)=>{const v=r(p,n);return v===u?u:{value:v,enumerable:true,configurable:true}},
set:()=>false,defineProperty:()=>false,deleteProperty:()=>false}),
g=(n,f)=>D(G,n,{get:f,configurable:true}),
T=a=>a.map(x=>typeof x=='string'?x:JSON.stringify(x)).join(' '),
C={};
D(G,'steps',{value:V('s','S')});D(G,'variables',{value:V('v','V')});D(G,'meta',{value:V('m','M')});
g('item',()=>R('i'));g('index',()=>R('x'));g('session',()=>R('e'));
for(const k of['log','info','debug','warn','error'])C[k]=(...a)=>l(k=='log'?'info':k,T(a));
D(G,'console',{value:Object.freeze(C)});
return{run:f=>{const x=f();return x===u?u:JSON.stringify(x)},
drop:s=>{for(const k of JSON.parse(s))c.delete(k)},
variable:n=>{if(!(n in G))g(n,()=>R('v'+n))}}})`;
