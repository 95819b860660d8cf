// Types for the few dbus-next 0.10.2 internals bus-stream.ts uses (the package types only its
// index). Kept as narrow as what is called.
declare module 'dbus-next/lib/bus.js' {
  import type { MessageBus } from 'dbus-next';
  const MessageBusClass: new (connection: unknown) => MessageBus;
  export default MessageBusClass;
}
declare module 'dbus-next/lib/handshake.js' {
  import type { Duplex } from 'node:stream';
  export default function clientHandshake(
    stream: Duplex,
    opts: Record<string, unknown>,
    cb: (error: Error | null, guid: string) => void,
  ): void;
}
declare module 'dbus-next/lib/message.js' {
  import type { Duplex } from 'node:stream';
  const wire: {
    unmarshalMessages(
      stream: Duplex,
      onMessage: (raw: unknown) => void,
      opts: Record<string, unknown>,
    ): void;
  };
  export default wire;
}
declare module 'dbus-next/lib/message-type.js' {
  import type { Message } from 'dbus-next';
  const types: { Message: new (fields: unknown) => Message };
  export default types;
}
declare module 'dbus-next/lib/marshall-compat.js' {
  import type { Message } from 'dbus-next';
  const compat: {
    marshallMessage(msg: Message): [Buffer, number[]];
    messageToJsFmt(raw: unknown): unknown;
  };
  export default compat;
}
