/**
 * Request and response types of the SDK, all derived from core/client/api-types.ts, which
 * openapi-typescript generates from the server's OpenAPI document (the schemas the server validates
 * with). Nothing here is written by hand except the selection.
 */
import type { paths } from './api-types.ts';

type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** The envelope's `data` of the first documented success answer (200 or 201), `unknown` if undocumented. */
type Data<Op> = Op extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': { data: infer D } } } }
    ? D
    : R extends { 201: { content: { 'application/json': { data: infer D } } } }
      ? D
      : unknown
  : unknown;

type Post<P extends keyof paths> = paths[P] extends { post: infer Op } ? Op : never;
type Get<P extends keyof paths> = paths[P] extends { get: infer Op } ? Op : never;
type Delete<P extends keyof paths> = paths[P] extends { delete: infer Op } ? Op : never;

export type ExecRequest = JsonBody<Post<'/device/exec'>>;
export type BulkRequest = JsonBody<Post<'/device/bulk'>>;
export type TestRequest = JsonBody<Post<'/device/test'>>;
export type RenderRequest = JsonBody<Post<'/template/render'>>;
export type ParseRequest = JsonBody<Post<'/template/parse'>>;
export type ConnectionArgs = ExecRequest['connection_args'];

export type JobQuery = Query<Get<'/job'>>;
export type JobCancelQuery = Query<Delete<'/job'>>;
export type WorkerQuery = Query<Get<'/worker'>>;
export type EventsQuery = Query<Get<'/events'>>;

/** A job as GET /job shows it (the same object every event carries). */
export type Job = Data<Get<'/job'>> extends (infer J)[] ? J : never;
export type JobStatus = Job['status'];
export type BulkResult = NonNullable<Data<Post<'/device/bulk'>>>;
export type Batch = Data<Get<'/batch/{id}'>>;
/** The `data:` of one GET /events message. */
export type JobEventData =
  Get<'/events'> extends { responses: { 200: { content: { 'text/event-stream': infer E } } } } ? E : never;
export type JobEventType = JobEventData extends { type: infer T } ? T : never;
export interface JobEvent extends JobEventData {
  /** The stream's event id: pass it back as `lastEventId` to resume. */
  id: string;
}

export type TestResult = Data<Post<'/device/test'>>;
export type RenderResult = Data<Post<'/template/render'>>;
export type ParseResult = Data<Post<'/template/parse'>>;
export type WorkerList = Data<Get<'/worker'>>;
export type Health = Data<Get<'/health'>>;
