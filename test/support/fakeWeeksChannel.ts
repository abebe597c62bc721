import type { DiscordFailure } from '../../src/services/discordPort.ts';
import type { WeekAnnouncement, WeeksChannel } from '../../src/services/promptWeeks.ts';

/** Pins and week announcements kept in memory; failures are queued per operation. */
export class FakeWeeksChannel implements WeeksChannel {
  readonly pinned = new Set<string>();
  readonly announcements: (WeekAnnouncement & { messageId: string })[] = [];
  readonly failures: { pin: DiscordFailure[]; unpin: DiscordFailure[]; announce: DiscordFailure[] } = {
    pin: [],
    unpin: [],
    announce: [],
  };
  private nextId = 1;

  async pinMessage(_channelId: string, messageId: string): Promise<void> {
    const failure = this.failures.pin.shift();
    if (failure) throw failure;
    this.pinned.add(messageId);
  }

  async unpinMessage(_channelId: string, messageId: string): Promise<void> {
    const failure = this.failures.unpin.shift();
    if (failure) throw failure;
    this.pinned.delete(messageId);
  }

  async sendWeekAnnouncement(announcement: WeekAnnouncement): Promise<{ messageId: string }> {
    const failure = this.failures.announce.shift();
    if (failure) throw failure;
    const messageId = `w${this.nextId++}`;
    this.announcements.push({ ...announcement, messageId });
    return { messageId };
  }
}
