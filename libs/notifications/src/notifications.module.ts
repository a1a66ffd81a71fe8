import { Module } from '@nestjs/common';
import { Mailer } from './mailer.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';

@Module({ providers: [NotificationsRepository, NotificationsService, Mailer], exports: [NotificationsService] })
export class NotificationsModule {}
