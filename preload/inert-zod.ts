// zod as the preload sees it: builds nothing. The preload only turns a method's arguments into its
// payload (each channel's `args`, contract/channel.ts); main checks every payload with the real
// schemas (main/core/api/handlers.ts). Building the contract's real schemas in the preload cost the
// panel more than its own scripts before its first paint (issue 16; test/bench/panel.bench.test.ts),
// so the preload build resolves 'zod' here (renderer/bundling.ts, preloadStandIns()).
//
// Every property and call of `z` gives back the same inert value, so a schema's declaration
// (`z.object({...}).optional().refine(...)`) evaluates to it without doing anything.
type Inert = ((...args: unknown[]) => Inert) & { readonly [key: string | symbol]: Inert };

const inert: Inert = new Proxy(function () {} as unknown as Inert, {
  // Not a thenable and not a primitive: nothing awaits or prints a schema by mistake.
  get: (_target, key) => (key === 'then' || key === Symbol.toPrimitive ? undefined : inert),
  apply: () => inert,
  construct: () => inert,
});

export const z = inert;
export default inert;
