import type { InteractionResult, StoredMessage } from '../test/support/emulator.ts';

interface EmbedLike {
  title?: string;
  description?: string;
  footer?: { text?: string };
  fields?: { name: string; value: string }[];
}

/** Turns what Discord would render into plain terminal text: timestamps, channel and user mentions. */
export class Transcript {
  constructor(
    private readonly names: { channel(id: string): string; user(id: string): string },
    private readonly timeZone: string,
    private readonly now: () => Date,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  heading(text: string): void {
    this.write('');
    this.write(`== ${text} ==`);
  }

  note(text: string): void {
    this.write(`   ${this.render(text)}`);
  }

  command(userId: string, command: string, channelId: string): void {
    this.write(`> ${this.names.user(userId)} in #${this.names.channel(channelId)}: ${command}`);
  }

  reply(result: InteractionResult): void {
    const who = result.ephemeral ? 'Bridges (only they can see this)' : 'Bridges';
    this.block(who, result.content, result.embeds);
  }

  post(message: StoredMessage): void {
    this.block(`Bridges posts in #${this.names.channel(message.channelId)}`, message.content, message.embeds);
    if (message.thread) this.write(`   (opens the thread "${message.thread.name}" for answers)`);
  }

  private block(who: string, content: string | undefined, embeds: unknown[]): void {
    this.write(`< ${who}:`);
    for (const line of (content ?? '').split('\n').filter((text) => text !== '')) this.write(`    ${this.render(line)}`);
    for (const embed of embeds as EmbedLike[]) {
      if (embed.title) this.write(`    | ${this.render(embed.title)}`);
      for (const line of (embed.description ?? '').split('\n')) if (line !== '') this.write(`    | ${this.render(line)}`);
      for (const field of embed.fields ?? []) this.write(`    | ${this.render(field.name)}: ${this.render(field.value)}`);
      if (embed.footer?.text) this.write(`    | -- ${this.render(embed.footer.text)}`);
    }
  }

  render(text: string): string {
    return text
      .replace(/<t:(\d+):([tTdDfFR])>/g, (_match, seconds: string, style: string) => {
        const at = new Date(Number(seconds) * 1000);
        if (style === 'R') return this.relative(at.getTime());
        return style === 't' || style === 'T' ? this.formatClock(at) : this.formatTime(at);
      })
      .replace(/<#(\d+)>/g, (_match, id: string) => `#${this.names.channel(id)}`)
      .replace(/<@!?(\d+)>/g, (_match, id: string) => `@${this.names.user(id)}`)
      .replace(/\*\*(.+?)\*\*/g, '$1')
      .replace(/`([^`]+)`/g, '$1');
  }

  private relative(at: number): string {
    const minutes = Math.round((at - this.now().getTime()) / 60_000);
    const [amount, unit] =
      Math.abs(minutes) >= 2880
        ? [Math.round(minutes / 1440), 'day']
        : Math.abs(minutes) >= 120
          ? [Math.round(minutes / 60), 'hour']
          : [minutes, 'minute'];
    return new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(amount, unit as Intl.RelativeTimeFormatUnit);
  }

  private formatClock(at: Date): string {
    return new Intl.DateTimeFormat('en-GB', { timeZone: this.timeZone, hour: '2-digit', minute: '2-digit' }).format(at);
  }

  private formatTime(at: Date): string {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: this.timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(at);
  }
}
