import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '../../core/src/index.js';

export class MailerNotConfigured extends Error {
  constructor() {
    super('SMTP_URL is not configured: the email stays unsent');
  }
}

/** A real SMTP client (nodemailer); one pooled transport per process. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger(Mailer.name);
  private transport: Transporter | null = null;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  async send(message: { to: string; subject: string; text: string }): Promise<string> {
    if (!this.config.SMTP_URL) throw new MailerNotConfigured();
    this.transport ??= nodemailer.createTransport(this.config.SMTP_URL, { from: this.config.MAIL_FROM });
    const info = await this.transport.sendMail({ from: this.config.MAIL_FROM, to: message.to, subject: message.subject, text: message.text });
    this.logger.log({ msg: 'email sent', messageId: info.messageId });
    return info.messageId;
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
