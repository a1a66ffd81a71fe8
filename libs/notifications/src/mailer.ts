import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig, projectRoot } from '../../core/src/index.js';

export class MailerNotConfigured extends Error {
  constructor() {
    super('SMTP_URL is not configured: the email stays unsent');
  }
}

/**
 * Sends email. With SMTP_URL: a real SMTP client (nodemailer), one pooled transport per process.
 * Without it, outside production, each message is written as an .eml file to MAIL_DIR (var/mail by
 * default) so development shows what would have gone out; in production without SMTP_URL nothing is
 * sent and the message stays in the table, marked failed.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger(Mailer.name);
  private transport: Transporter | null = null;
  private folder: Transporter | null = null;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  /** Where .eml files go when there is no SMTP server; null when mail is sent over SMTP (or not at all). */
  get mailDir(): string | null {
    if (this.config.SMTP_URL || this.config.NODE_ENV === 'production') return null;
    return this.config.MAIL_DIR ?? join(projectRoot(), 'var', 'mail');
  }

  async send(message: { to: string; subject: string; text: string }): Promise<string> {
    const mail = { from: this.config.MAIL_FROM, to: message.to, subject: message.subject, text: message.text };
    const dir = this.mailDir;
    if (dir) {
      this.folder ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      const info = await this.folder.sendMail(mail);
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^A-Za-z0-9@._-]/g, '')}.eml`);
      await writeFile(file, info.message as Buffer);
      this.logger.log({ msg: 'email written to the mail folder (no SMTP_URL)', messageId: info.messageId, file });
      return info.messageId;
    }
    if (!this.config.SMTP_URL) throw new MailerNotConfigured();
    this.transport ??= nodemailer.createTransport(this.config.SMTP_URL, { from: this.config.MAIL_FROM });
    const info = await this.transport.sendMail(mail);
    this.logger.log({ msg: 'email sent', messageId: info.messageId });
    return info.messageId;
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
