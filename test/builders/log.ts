import type { Log, LogAttributes } from '../../lambdas/ports/log.js';

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly attributes: LogAttributes;
}

/**
 * The one fake of the Log port: keeps every line in order, with its level, and writes nothing.
 * Methods are bound, so a use case may pass them around.
 */
export class RecordingLog implements Log {
  readonly lines: LogLine[] = [];

  readonly info = (message: string, attributes: LogAttributes): void => void this.lines.push({ level: 'info', message, attributes });
  readonly warn = (message: string, attributes: LogAttributes): void => void this.lines.push({ level: 'warn', message, attributes });
  readonly error = (message: string, attributes: LogAttributes): void => void this.lines.push({ level: 'error', message, attributes });

  /** The lines of one level, as `{message, attributes}`. */
  at(level: LogLevel): { message: string; attributes: LogAttributes }[] {
    return this.lines.filter((l) => l.level === level).map(({ message, attributes }) => ({ message, attributes }));
  }
  get infos() {
    return this.at('info');
  }
  get warns() {
    return this.at('warn');
  }
  get errors() {
    return this.at('error');
  }

  /** The `alarm` attribute of every line that has one, in order. */
  alarms(): unknown[] {
    return this.lines.filter((l) => l.attributes.alarm).map((l) => l.attributes.alarm);
  }
}
