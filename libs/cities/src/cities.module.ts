import { Module } from '@nestjs/common';
import { CitiesRepository } from './cities.repository.js';
import { CitiesService } from './cities.service.js';

@Module({ providers: [CitiesRepository, CitiesService], exports: [CitiesService] })
export class CitiesModule {}
