// A dbus-next MessageBus over a stream we hand it (issue 17): the stdio of
// `ssh HOST systemd-stdio-bridge`, which we spawn ourselves. dbus-next 0.10.2 only opens its own
// streams from an address, and its `unixexec:` transport crashes the process (PLATFORM-NOTES), so
// this does what its lib/connection.js does for a socket (the SASL handshake, then messages
// both ways) on any Duplex, using dbus-next's own handshake and (un)marshalling.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type dbus from 'dbus-next';
import MessageBus from 'dbus-next/lib/bus.js';
import clientHandshake from 'dbus-next/lib/handshake.js';
import wire from 'dbus-next/lib/message.js';
import messageTypes from 'dbus-next/lib/message-type.js';
import compat from 'dbus-next/lib/marshall-compat.js';

interface StreamConnection extends EventEmitter {
  stream: Duplex;
  state?: string;
  guid?: string;
  message(msg: dbus.Message): void;
  end(): StreamConnection;
}

/** A MessageBus on `stream`: 'connect' once the bus accepted us, 'error'/end as for a socket. */
export function messageBusOverStream(stream: Duplex): dbus.MessageBus {
  const conn = new EventEmitter() as StreamConnection;
  conn.stream = stream;
  const queued: dbus.Message[] = [];
  const write = (msg: dbus.Message) => {
    if (!stream.writable) throw new Error('Cannot send message, stream is closed');
    const [data] = compat.marshallMessage(msg);
    stream.write(data);
  };
  conn.message = (msg) => queued.push(msg);
  conn.end = () => {
    stream.end();
    return conn;
  };
  stream.on('error', (err: Error) => conn.emit('error', err));
  stream.on('end', () => {
    conn.emit('end');
    conn.message = () =>
      conn.emit('error', new Error('Tried to write a message to a closed stream'));
  });
  clientHandshake(stream, {}, (error: Error | null, guid: string) => {
    if (error) {
      conn.emit('error', error);
      return;
    }
    conn.guid = guid;
    conn.state = 'connected';
    conn.message = write;
    for (const msg of queued.splice(0)) write(msg);
    conn.emit('connect');
    wire.unmarshalMessages(
      stream,
      (raw: unknown) => {
        let msg: dbus.Message;
        try {
          msg = new messageTypes.Message(compat.messageToJsFmt(raw));
        } catch (err) {
          conn.emit('error', err);
          return;
        }
        conn.emit('message', msg);
      },
      {},
    );
  });
  return new MessageBus(conn);
}
