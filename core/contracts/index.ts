export * from './common.ts';
export * from './driver.ts';
export * from './template.ts';
export * from './scheduler.ts';
export * from './webhook.ts';
export * from './broker.ts';
export * from './plugin.ts';
