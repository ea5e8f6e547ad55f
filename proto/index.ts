/** The wire contract: generated protobufjs classes (proto/gen, from yiwang.proto) and the codecs on top. */
import { yiwang } from './wire.js';

export import pb = yiwang.v1;
export type Batch = yiwang.v1.Batch;
export type BatchAck = yiwang.v1.BatchAck;
export type Health = yiwang.v1.Health;
export type Event = yiwang.v1.IEvent;
export const Priority = yiwang.v1.Priority;
export type Priority = yiwang.v1.Priority;
export const ClockQuality = yiwang.v1.ClockQuality;
export type ClockQuality = yiwang.v1.ClockQuality;
export const AckStatus = yiwang.v1.BatchAck.Status;
export type AckStatus = yiwang.v1.BatchAck.Status;
export type HealthInput = yiwang.v1.IHealth;
export type PresenceMsg = yiwang.v1.Presence;
export type ClaimRequestMsg = yiwang.v1.IClaimRequest;
export type ClaimResponseMsg = yiwang.v1.IClaimResponse;
export type GatewayIdentityMsg = yiwang.v1.IGatewayIdentity;
export type ConfigDocumentMsg = yiwang.v1.IConfigDocument;
export type ConfigEnvelopeMsg = yiwang.v1.IConfigEnvelope;
export const ConfigState = yiwang.v1.ConfigStatus.State;
export type ConfigState = yiwang.v1.ConfigStatus.State;
