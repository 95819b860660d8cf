// Crash alerts through Electron's Notification, for notification servers without the 'actions'
// capability (or none at all): no buttons there (electron/electron#24333), so a click opens the
// detail window on its Logs tab, and a crash loop replaces its one notification.
//
// An Electron Notification that is garbage collected loses its click and close events
// (PLATFORM-NOTES): each one is kept referenced here until it closes.
import { Notification } from 'electron';
import type { NotificationRequest } from '../core/notify/notifications.js';

export function createNotificationFallback(opts: {
  onClick(entryId: string): void;
  log(message: string): void;
}): (req: NotificationRequest, entryId: string) => void {
  const live = new Map<string, Notification>();
  return (req, entryId) => {
    if (!Notification.isSupported()) {
      opts.log(`alerts: no way to show "${req.summary}" (no notification server)`);
      return;
    }
    live.get(entryId)?.close();
    const n = new Notification({
      title: req.summary,
      body: req.body,
      urgency: req.urgency,
      timeoutType: req.expireTimeoutMs === 0 ? 'never' : 'default',
    });
    live.set(entryId, n);
    n.on('click', () => opts.onClick(entryId));
    n.on('close', () => {
      if (live.get(entryId) === n) live.delete(entryId);
    });
    n.show();
  };
}
