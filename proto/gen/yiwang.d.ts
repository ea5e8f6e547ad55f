import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace yiwang. */
export namespace yiwang {

    /** Namespace v1. */
    namespace v1 {

        /** Priority enum. */
        enum Priority {

            /** PRIORITY_NORMAL value */
            PRIORITY_NORMAL = 0,

            /** PRIORITY_ALARM value */
            PRIORITY_ALARM = 1,

            /** PRIORITY_BULK value */
            PRIORITY_BULK = 2
        }

        /** ClockQuality enum. */
        enum ClockQuality {

            /** CLOCK_GATEWAY_SYNCED value */
            CLOCK_GATEWAY_SYNCED = 0,

            /** CLOCK_DEVICE value */
            CLOCK_DEVICE = 1,

            /** CLOCK_GATEWAY_UNSYNCED value */
            CLOCK_GATEWAY_UNSYNCED = 2,

            /** CLOCK_GATEWAY_CORRECTED value */
            CLOCK_GATEWAY_CORRECTED = 3
        }

        /** BodyCodec enum. */
        enum BodyCodec {

            /** BODY_PLAIN value */
            BODY_PLAIN = 0,

            /** BODY_DEFLATE_DICT1 value */
            BODY_DEFLATE_DICT1 = 1
        }

        /** Unit enum. */
        enum Unit {

            /** UNIT_NONE value */
            UNIT_NONE = 0,

            /** UNIT_OTHER value */
            UNIT_OTHER = 1,

            /** UNIT_CEL value */
            UNIT_CEL = 2,

            /** UNIT_PERCENT_RH value */
            UNIT_PERCENT_RH = 3,

            /** UNIT_PERCENT value */
            UNIT_PERCENT = 4,

            /** UNIT_PA value */
            UNIT_PA = 5,

            /** UNIT_HPA value */
            UNIT_HPA = 6,

            /** UNIT_UG_M3 value */
            UNIT_UG_M3 = 7,

            /** UNIT_MG_M3 value */
            UNIT_MG_M3 = 8,

            /** UNIT_PPM value */
            UNIT_PPM = 9,

            /** UNIT_PPB value */
            UNIT_PPB = 10,

            /** UNIT_MM value */
            UNIT_MM = 11,

            /** UNIT_M value */
            UNIT_M = 12,

            /** UNIT_M_S value */
            UNIT_M_S = 13,

            /** UNIT_DEG value */
            UNIT_DEG = 14,

            /** UNIT_M3 value */
            UNIT_M3 = 15,

            /** UNIT_M3_S value */
            UNIT_M3_S = 16,

            /** UNIT_L value */
            UNIT_L = 17,

            /** UNIT_L_S value */
            UNIT_L_S = 18,

            /** UNIT_KWH value */
            UNIT_KWH = 19,

            /** UNIT_WH value */
            UNIT_WH = 20,

            /** UNIT_W value */
            UNIT_W = 21,

            /** UNIT_V value */
            UNIT_V = 22,

            /** UNIT_A value */
            UNIT_A = 23,

            /** UNIT_HZ value */
            UNIT_HZ = 24,

            /** UNIT_DBM value */
            UNIT_DBM = 25,

            /** UNIT_DB value */
            UNIT_DB = 26,

            /** UNIT_S value */
            UNIT_S = 27,

            /** UNIT_LX value */
            UNIT_LX = 28,

            /** UNIT_RATIO value */
            UNIT_RATIO = 29,

            /** UNIT_COUNT value */
            UNIT_COUNT = 30,

            /** UNIT_PH value */
            UNIT_PH = 31,

            /** UNIT_G value */
            UNIT_G = 32,

            /** UNIT_MM_H value */
            UNIT_MM_H = 33,

            /** UNIT_VAR value */
            UNIT_VAR = 34,

            /** UNIT_KVARH value */
            UNIT_KVARH = 35
        }

        /** ValueKind enum. */
        enum ValueKind {

            /** VALUE_INT value */
            VALUE_INT = 0,

            /** VALUE_FLOAT value */
            VALUE_FLOAT = 1,

            /** VALUE_BOOL value */
            VALUE_BOOL = 2,

            /** VALUE_STRING value */
            VALUE_STRING = 3
        }

        /**
         * Properties of a Batch.
         * @deprecated Use yiwang.v1.Batch.$Properties instead.
         */
        interface IBatch extends yiwang.v1.Batch.$Properties {
        }

        /** Represents a Batch. */
        class Batch {

            /**
             * Constructs a new Batch.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.Batch.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Batch gatewayId. */
            gatewayId: string;

            /** Batch epoch. */
            epoch: number;

            /** Batch seq. */
            seq: number;

            /** Batch codec. */
            codec: yiwang.v1.BodyCodec;

            /** Batch body. */
            body: Uint8Array;

            /** Batch readingCount. */
            readingCount: number;

            /**
             * Creates a new Batch instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Batch instance
             */
            static create(properties: yiwang.v1.Batch.$Shape): yiwang.v1.Batch & yiwang.v1.Batch.$Shape;
            static create(properties?: yiwang.v1.Batch.$Properties): yiwang.v1.Batch;

            /**
             * Encodes the specified Batch message. Does not implicitly {@link yiwang.v1.Batch.verify|verify} messages.
             * @param m Batch message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.Batch.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Batch message, length delimited. Does not implicitly {@link yiwang.v1.Batch.verify|verify} messages.
             * @param message Batch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.Batch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Batch message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.Batch & yiwang.v1.Batch.$Shape} Batch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.Batch & yiwang.v1.Batch.$Shape;

            /**
             * Decodes a Batch message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.Batch & yiwang.v1.Batch.$Shape} Batch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.Batch & yiwang.v1.Batch.$Shape;

            /**
             * Verifies a Batch message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a Batch message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Batch
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.Batch;

            /**
             * Creates a plain object from a Batch message. Also converts values to other types if specified.
             * @param m Batch
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.Batch, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Batch to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Batch
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Batch {

            /** Properties of a Batch. */
            interface $Properties {

                /** Batch gatewayId */
                gatewayId?: (string|null);

                /** Batch epoch */
                epoch?: (number|null);

                /** Batch seq */
                seq?: (number|null);

                /** Batch codec */
                codec?: (yiwang.v1.BodyCodec|null);

                /** Batch body */
                body?: (Uint8Array|null);

                /** Batch readingCount */
                readingCount?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Batch. */
            type $Shape = yiwang.v1.Batch.$Properties;
        }

        /**
         * Properties of a BatchBody.
         * @deprecated Use yiwang.v1.BatchBody.$Properties instead.
         */
        interface IBatchBody extends yiwang.v1.BatchBody.$Properties {
        }

        /** Represents a BatchBody. */
        class BatchBody {

            /**
             * Constructs a new BatchBody.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.BatchBody.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** BatchBody devices. */
            devices: yiwang.v1.DeviceData.$Properties[];

            /** BatchBody events. */
            events: yiwang.v1.Event.$Properties[];

            /**
             * Creates a new BatchBody instance using the specified properties.
             * @param [properties] Properties to set
             * @returns BatchBody instance
             */
            static create(properties: yiwang.v1.BatchBody.$Shape): yiwang.v1.BatchBody & yiwang.v1.BatchBody.$Shape;
            static create(properties?: yiwang.v1.BatchBody.$Properties): yiwang.v1.BatchBody;

            /**
             * Encodes the specified BatchBody message. Does not implicitly {@link yiwang.v1.BatchBody.verify|verify} messages.
             * @param m BatchBody message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.BatchBody.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified BatchBody message, length delimited. Does not implicitly {@link yiwang.v1.BatchBody.verify|verify} messages.
             * @param message BatchBody message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.BatchBody.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a BatchBody message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.BatchBody & yiwang.v1.BatchBody.$Shape} BatchBody
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.BatchBody & yiwang.v1.BatchBody.$Shape;

            /**
             * Decodes a BatchBody message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.BatchBody & yiwang.v1.BatchBody.$Shape} BatchBody
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.BatchBody & yiwang.v1.BatchBody.$Shape;

            /**
             * Verifies a BatchBody message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a BatchBody message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns BatchBody
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.BatchBody;

            /**
             * Creates a plain object from a BatchBody message. Also converts values to other types if specified.
             * @param m BatchBody
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.BatchBody, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this BatchBody to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for BatchBody
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace BatchBody {

            /** Properties of a BatchBody. */
            interface $Properties {

                /** BatchBody devices */
                devices?: (yiwang.v1.DeviceData.$Properties[]|null);

                /** BatchBody events */
                events?: (yiwang.v1.Event.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a BatchBody. */
            type $Shape = yiwang.v1.BatchBody.$Properties;
        }

        /**
         * Properties of a DeviceData.
         * @deprecated Use yiwang.v1.DeviceData.$Properties instead.
         */
        interface IDeviceData extends yiwang.v1.DeviceData.$Properties {
        }

        /** Represents a DeviceData. */
        class DeviceData {

            /**
             * Constructs a new DeviceData.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.DeviceData.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** DeviceData deviceId. */
            deviceId: string;

            /** DeviceData timelines. */
            timelines: yiwang.v1.Timeline.$Properties[];

            /** DeviceData metric. */
            metric: string[];

            /** DeviceData unit. */
            unit: yiwang.v1.Unit[];

            /** DeviceData unitText. */
            unitText: string[];

            /** DeviceData kind. */
            kind: yiwang.v1.ValueKind[];

            /** DeviceData scale. */
            scale: number[];

            /** DeviceData timeline. */
            timeline: number[];

            /** DeviceData absentCount. */
            absentCount: number[];

            /** DeviceData priority. */
            priority: yiwang.v1.Priority[];

            /** DeviceData clock. */
            clock: yiwang.v1.ClockQuality[];

            /** DeviceData absent. */
            absent: number[];

            /** DeviceData ints. */
            ints: number[];

            /** DeviceData floats. */
            floats: number[];

            /** DeviceData bools. */
            bools: boolean[];

            /** DeviceData strings. */
            strings: string[];

            /**
             * Creates a new DeviceData instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DeviceData instance
             */
            static create(properties: yiwang.v1.DeviceData.$Shape): yiwang.v1.DeviceData & yiwang.v1.DeviceData.$Shape;
            static create(properties?: yiwang.v1.DeviceData.$Properties): yiwang.v1.DeviceData;

            /**
             * Encodes the specified DeviceData message. Does not implicitly {@link yiwang.v1.DeviceData.verify|verify} messages.
             * @param m DeviceData message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.DeviceData.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified DeviceData message, length delimited. Does not implicitly {@link yiwang.v1.DeviceData.verify|verify} messages.
             * @param message DeviceData message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.DeviceData.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DeviceData message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.DeviceData & yiwang.v1.DeviceData.$Shape} DeviceData
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.DeviceData & yiwang.v1.DeviceData.$Shape;

            /**
             * Decodes a DeviceData message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.DeviceData & yiwang.v1.DeviceData.$Shape} DeviceData
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.DeviceData & yiwang.v1.DeviceData.$Shape;

            /**
             * Verifies a DeviceData message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a DeviceData message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns DeviceData
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.DeviceData;

            /**
             * Creates a plain object from a DeviceData message. Also converts values to other types if specified.
             * @param m DeviceData
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.DeviceData, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this DeviceData to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for DeviceData
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace DeviceData {

            /** Properties of a DeviceData. */
            interface $Properties {

                /** DeviceData deviceId */
                deviceId?: (string|null);

                /** DeviceData timelines */
                timelines?: (yiwang.v1.Timeline.$Properties[]|null);

                /** DeviceData metric */
                metric?: (string[]|null);

                /** DeviceData unit */
                unit?: (yiwang.v1.Unit[]|null);

                /** DeviceData unitText */
                unitText?: (string[]|null);

                /** DeviceData kind */
                kind?: (yiwang.v1.ValueKind[]|null);

                /** DeviceData scale */
                scale?: (number[]|null);

                /** DeviceData timeline */
                timeline?: (number[]|null);

                /** DeviceData absentCount */
                absentCount?: (number[]|null);

                /** DeviceData priority */
                priority?: (yiwang.v1.Priority[]|null);

                /** DeviceData clock */
                clock?: (yiwang.v1.ClockQuality[]|null);

                /** DeviceData absent */
                absent?: (number[]|null);

                /** DeviceData ints */
                ints?: (number[]|null);

                /** DeviceData floats */
                floats?: (number[]|null);

                /** DeviceData bools */
                bools?: (boolean[]|null);

                /** DeviceData strings */
                strings?: (string[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a DeviceData. */
            type $Shape = yiwang.v1.DeviceData.$Properties;
        }

        /**
         * Properties of a Timeline.
         * @deprecated Use yiwang.v1.Timeline.$Properties instead.
         */
        interface ITimeline extends yiwang.v1.Timeline.$Properties {
        }

        /** Represents a Timeline. */
        class Timeline {

            /**
             * Constructs a new Timeline.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.Timeline.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Timeline startMs. */
            startMs: number;

            /** Timeline stepMs. */
            stepMs: number;

            /** Timeline deltas. */
            deltas: number[];

            /** Timeline count. */
            count: number;

            /**
             * Creates a new Timeline instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Timeline instance
             */
            static create(properties: yiwang.v1.Timeline.$Shape): yiwang.v1.Timeline & yiwang.v1.Timeline.$Shape;
            static create(properties?: yiwang.v1.Timeline.$Properties): yiwang.v1.Timeline;

            /**
             * Encodes the specified Timeline message. Does not implicitly {@link yiwang.v1.Timeline.verify|verify} messages.
             * @param m Timeline message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.Timeline.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Timeline message, length delimited. Does not implicitly {@link yiwang.v1.Timeline.verify|verify} messages.
             * @param message Timeline message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.Timeline.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Timeline message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.Timeline & yiwang.v1.Timeline.$Shape} Timeline
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.Timeline & yiwang.v1.Timeline.$Shape;

            /**
             * Decodes a Timeline message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.Timeline & yiwang.v1.Timeline.$Shape} Timeline
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.Timeline & yiwang.v1.Timeline.$Shape;

            /**
             * Verifies a Timeline message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a Timeline message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Timeline
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.Timeline;

            /**
             * Creates a plain object from a Timeline message. Also converts values to other types if specified.
             * @param m Timeline
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.Timeline, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Timeline to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Timeline
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Timeline {

            /** Properties of a Timeline. */
            interface $Properties {

                /** Timeline startMs */
                startMs?: (number|null);

                /** Timeline stepMs */
                stepMs?: (number|null);

                /** Timeline deltas */
                deltas?: (number[]|null);

                /** Timeline count */
                count?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Timeline. */
            type $Shape = yiwang.v1.Timeline.$Properties;
        }

        /**
         * Properties of a BatchAck.
         * @deprecated Use yiwang.v1.BatchAck.$Properties instead.
         */
        interface IBatchAck extends yiwang.v1.BatchAck.$Properties {
        }

        /** Represents a BatchAck. */
        class BatchAck {

            /**
             * Constructs a new BatchAck.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.BatchAck.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** BatchAck gatewayId. */
            gatewayId: string;

            /** BatchAck epoch. */
            epoch: number;

            /** BatchAck seq. */
            seq: number;

            /** BatchAck status. */
            status: yiwang.v1.BatchAck.Status;

            /** BatchAck errorCode. */
            errorCode: string;

            /** BatchAck detail. */
            detail: string;

            /** BatchAck storedReadings. */
            storedReadings: number;

            /** BatchAck quarantinedReadings. */
            quarantinedReadings: number;

            /** BatchAck quarantined. */
            quarantined: yiwang.v1.Quarantined.$Properties[];

            /**
             * Creates a new BatchAck instance using the specified properties.
             * @param [properties] Properties to set
             * @returns BatchAck instance
             */
            static create(properties: yiwang.v1.BatchAck.$Shape): yiwang.v1.BatchAck & yiwang.v1.BatchAck.$Shape;
            static create(properties?: yiwang.v1.BatchAck.$Properties): yiwang.v1.BatchAck;

            /**
             * Encodes the specified BatchAck message. Does not implicitly {@link yiwang.v1.BatchAck.verify|verify} messages.
             * @param m BatchAck message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.BatchAck.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified BatchAck message, length delimited. Does not implicitly {@link yiwang.v1.BatchAck.verify|verify} messages.
             * @param message BatchAck message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.BatchAck.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a BatchAck message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.BatchAck & yiwang.v1.BatchAck.$Shape} BatchAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.BatchAck & yiwang.v1.BatchAck.$Shape;

            /**
             * Decodes a BatchAck message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.BatchAck & yiwang.v1.BatchAck.$Shape} BatchAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.BatchAck & yiwang.v1.BatchAck.$Shape;

            /**
             * Verifies a BatchAck message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a BatchAck message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns BatchAck
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.BatchAck;

            /**
             * Creates a plain object from a BatchAck message. Also converts values to other types if specified.
             * @param m BatchAck
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.BatchAck, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this BatchAck to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for BatchAck
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace BatchAck {

            /** Properties of a BatchAck. */
            interface $Properties {

                /** BatchAck gatewayId */
                gatewayId?: (string|null);

                /** BatchAck epoch */
                epoch?: (number|null);

                /** BatchAck seq */
                seq?: (number|null);

                /** BatchAck status */
                status?: (yiwang.v1.BatchAck.Status|null);

                /** BatchAck errorCode */
                errorCode?: (string|null);

                /** BatchAck detail */
                detail?: (string|null);

                /** BatchAck storedReadings */
                storedReadings?: (number|null);

                /** BatchAck quarantinedReadings */
                quarantinedReadings?: (number|null);

                /** BatchAck quarantined */
                quarantined?: (yiwang.v1.Quarantined.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a BatchAck. */
            type $Shape = yiwang.v1.BatchAck.$Properties;

            /** Status enum. */
            enum Status {

                /** STORED value */
                STORED = 0,

                /** DUPLICATE value */
                DUPLICATE = 1,

                /** REJECTED value */
                REJECTED = 2
            }
        }

        /**
         * Properties of a Quarantined.
         * @deprecated Use yiwang.v1.Quarantined.$Properties instead.
         */
        interface IQuarantined extends yiwang.v1.Quarantined.$Properties {
        }

        /** Represents a Quarantined. */
        class Quarantined {

            /**
             * Constructs a new Quarantined.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.Quarantined.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Quarantined deviceId. */
            deviceId: string;

            /** Quarantined metric. */
            metric: string;

            /** Quarantined errorCode. */
            errorCode: string;

            /** Quarantined detail. */
            detail: string;

            /** Quarantined count. */
            count: number;

            /**
             * Creates a new Quarantined instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Quarantined instance
             */
            static create(properties: yiwang.v1.Quarantined.$Shape): yiwang.v1.Quarantined & yiwang.v1.Quarantined.$Shape;
            static create(properties?: yiwang.v1.Quarantined.$Properties): yiwang.v1.Quarantined;

            /**
             * Encodes the specified Quarantined message. Does not implicitly {@link yiwang.v1.Quarantined.verify|verify} messages.
             * @param m Quarantined message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.Quarantined.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Quarantined message, length delimited. Does not implicitly {@link yiwang.v1.Quarantined.verify|verify} messages.
             * @param message Quarantined message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.Quarantined.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Quarantined message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.Quarantined & yiwang.v1.Quarantined.$Shape} Quarantined
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.Quarantined & yiwang.v1.Quarantined.$Shape;

            /**
             * Decodes a Quarantined message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.Quarantined & yiwang.v1.Quarantined.$Shape} Quarantined
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.Quarantined & yiwang.v1.Quarantined.$Shape;

            /**
             * Verifies a Quarantined message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a Quarantined message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Quarantined
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.Quarantined;

            /**
             * Creates a plain object from a Quarantined message. Also converts values to other types if specified.
             * @param m Quarantined
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.Quarantined, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Quarantined to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Quarantined
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Quarantined {

            /** Properties of a Quarantined. */
            interface $Properties {

                /** Quarantined deviceId */
                deviceId?: (string|null);

                /** Quarantined metric */
                metric?: (string|null);

                /** Quarantined errorCode */
                errorCode?: (string|null);

                /** Quarantined detail */
                detail?: (string|null);

                /** Quarantined count */
                count?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Quarantined. */
            type $Shape = yiwang.v1.Quarantined.$Properties;
        }

        /**
         * Properties of an Event.
         * @deprecated Use yiwang.v1.Event.$Properties instead.
         */
        interface IEvent extends yiwang.v1.Event.$Properties {
        }

        /** Represents an Event. */
        class Event {

            /**
             * Constructs a new Event.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.Event.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Event id. */
            id: string;

            /** Event deviceId. */
            deviceId: string;

            /** Event type. */
            type: string;

            /** Event severity. */
            severity: yiwang.v1.Event.Severity;

            /** Event tsMs. */
            tsMs: number;

            /** Event clock. */
            clock: yiwang.v1.ClockQuality;

            /** Event message. */
            message: string;

            /** Event attributes. */
            attributes: { [k: string]: string };

            /** Event active. */
            active: boolean;

            /**
             * Creates a new Event instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Event instance
             */
            static create(properties: yiwang.v1.Event.$Shape): yiwang.v1.Event & yiwang.v1.Event.$Shape;
            static create(properties?: yiwang.v1.Event.$Properties): yiwang.v1.Event;

            /**
             * Encodes the specified Event message. Does not implicitly {@link yiwang.v1.Event.verify|verify} messages.
             * @param m Event message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.Event.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Event message, length delimited. Does not implicitly {@link yiwang.v1.Event.verify|verify} messages.
             * @param message Event message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.Event.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Event message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.Event & yiwang.v1.Event.$Shape} Event
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.Event & yiwang.v1.Event.$Shape;

            /**
             * Decodes an Event message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.Event & yiwang.v1.Event.$Shape} Event
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.Event & yiwang.v1.Event.$Shape;

            /**
             * Verifies an Event message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates an Event message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Event
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.Event;

            /**
             * Creates a plain object from an Event message. Also converts values to other types if specified.
             * @param m Event
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.Event, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Event to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Event
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Event {

            /** Properties of an Event. */
            interface $Properties {

                /** Event id */
                id?: (string|null);

                /** Event deviceId */
                deviceId?: (string|null);

                /** Event type */
                type?: (string|null);

                /** Event severity */
                severity?: (yiwang.v1.Event.Severity|null);

                /** Event tsMs */
                tsMs?: (number|null);

                /** Event clock */
                clock?: (yiwang.v1.ClockQuality|null);

                /** Event message */
                message?: (string|null);

                /** Event attributes */
                attributes?: ({ [k: string]: string }|null);

                /** Event active */
                active?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Event. */
            type $Shape = yiwang.v1.Event.$Properties;

            /** Severity enum. */
            enum Severity {

                /** INFO value */
                INFO = 0,

                /** WARNING value */
                WARNING = 1,

                /** CRITICAL value */
                CRITICAL = 2
            }
        }

        /**
         * Properties of a Health.
         * @deprecated Use yiwang.v1.Health.$Properties instead.
         */
        interface IHealth extends yiwang.v1.Health.$Properties {
        }

        /** Represents a Health. */
        class Health {

            /**
             * Constructs a new Health.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.Health.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Health gatewayId. */
            gatewayId: string;

            /** Health tsMs. */
            tsMs: number;

            /** Health uptimeS. */
            uptimeS: number;

            /** Health rssBytes. */
            rssBytes: number;

            /** Health storeRows. */
            storeRows: number;

            /** Health storeBytes. */
            storeBytes: number;

            /** Health oldestAgeMs. */
            oldestAgeMs: number;

            /** Health dropped. */
            dropped: { [k: string]: number };

            /** Health devicesOnline. */
            devicesOnline: number;

            /** Health devicesTotal. */
            devicesTotal: number;

            /** Health clockSynced. */
            clockSynced: boolean;

            /** Health configVersion. */
            configVersion: string;

            /** Health agentVersion. */
            agentVersion: string;

            /** Health readingsAccepted. */
            readingsAccepted: number;

            /** Health batchesAcked. */
            batchesAcked: number;

            /** Health storeCapBytes. */
            storeCapBytes: number;

            /** Health diskFreeBytes. */
            diskFreeBytes: number;

            /** Health diskTotalBytes. */
            diskTotalBytes: number;

            /** Health link. */
            link?: (yiwang.v1.LinkQuality.$Properties|null);

            /** Health devicesByState. */
            devicesByState: { [k: string]: number };

            /** Health camerasTotal. */
            camerasTotal: number;

            /** Health camerasOnline. */
            camerasOnline: number;

            /** Health camerasByState. */
            camerasByState: { [k: string]: number };

            /** Health configError. */
            configError: string;

            /** Health drainRate. */
            drainRate: number;

            /** Health bytesSentToday. */
            bytesSentToday: { [k: string]: number };

            /** Health unackedBatches. */
            unackedBatches: number;

            /** Health pendingRows. */
            pendingRows: number;

            /** Health clockSteps. */
            clockSteps: number;

            /** Health heldUnsynced. */
            heldUnsynced: number;

            /** Health quarantinedReadings. */
            quarantinedReadings: number;

            /** Health deadLetterBatches. */
            deadLetterBatches: number;

            /** Health quarantinedByReason. */
            quarantinedByReason: { [k: string]: number };

            /**
             * Creates a new Health instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Health instance
             */
            static create(properties: yiwang.v1.Health.$Shape): yiwang.v1.Health & yiwang.v1.Health.$Shape;
            static create(properties?: yiwang.v1.Health.$Properties): yiwang.v1.Health;

            /**
             * Encodes the specified Health message. Does not implicitly {@link yiwang.v1.Health.verify|verify} messages.
             * @param m Health message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.Health.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Health message, length delimited. Does not implicitly {@link yiwang.v1.Health.verify|verify} messages.
             * @param message Health message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.Health.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Health message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.Health & yiwang.v1.Health.$Shape} Health
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.Health & yiwang.v1.Health.$Shape;

            /**
             * Decodes a Health message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.Health & yiwang.v1.Health.$Shape} Health
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.Health & yiwang.v1.Health.$Shape;

            /**
             * Verifies a Health message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a Health message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Health
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.Health;

            /**
             * Creates a plain object from a Health message. Also converts values to other types if specified.
             * @param m Health
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.Health, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Health to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Health
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Health {

            /** Properties of a Health. */
            interface $Properties {

                /** Health gatewayId */
                gatewayId?: (string|null);

                /** Health tsMs */
                tsMs?: (number|null);

                /** Health uptimeS */
                uptimeS?: (number|null);

                /** Health rssBytes */
                rssBytes?: (number|null);

                /** Health storeRows */
                storeRows?: (number|null);

                /** Health storeBytes */
                storeBytes?: (number|null);

                /** Health oldestAgeMs */
                oldestAgeMs?: (number|null);

                /** Health dropped */
                dropped?: ({ [k: string]: number }|null);

                /** Health devicesOnline */
                devicesOnline?: (number|null);

                /** Health devicesTotal */
                devicesTotal?: (number|null);

                /** Health clockSynced */
                clockSynced?: (boolean|null);

                /** Health configVersion */
                configVersion?: (string|null);

                /** Health agentVersion */
                agentVersion?: (string|null);

                /** Health readingsAccepted */
                readingsAccepted?: (number|null);

                /** Health batchesAcked */
                batchesAcked?: (number|null);

                /** Health storeCapBytes */
                storeCapBytes?: (number|null);

                /** Health diskFreeBytes */
                diskFreeBytes?: (number|null);

                /** Health diskTotalBytes */
                diskTotalBytes?: (number|null);

                /** Health link */
                link?: (yiwang.v1.LinkQuality.$Properties|null);

                /** Health devicesByState */
                devicesByState?: ({ [k: string]: number }|null);

                /** Health camerasTotal */
                camerasTotal?: (number|null);

                /** Health camerasOnline */
                camerasOnline?: (number|null);

                /** Health camerasByState */
                camerasByState?: ({ [k: string]: number }|null);

                /** Health configError */
                configError?: (string|null);

                /** Health drainRate */
                drainRate?: (number|null);

                /** Health bytesSentToday */
                bytesSentToday?: ({ [k: string]: number }|null);

                /** Health unackedBatches */
                unackedBatches?: (number|null);

                /** Health pendingRows */
                pendingRows?: (number|null);

                /** Health clockSteps */
                clockSteps?: (number|null);

                /** Health heldUnsynced */
                heldUnsynced?: (number|null);

                /** Health quarantinedReadings */
                quarantinedReadings?: (number|null);

                /** Health deadLetterBatches */
                deadLetterBatches?: (number|null);

                /** Health quarantinedByReason */
                quarantinedByReason?: ({ [k: string]: number }|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Health. */
            type $Shape = yiwang.v1.Health.$Properties;
        }

        /**
         * Properties of a LinkQuality.
         * @deprecated Use yiwang.v1.LinkQuality.$Properties instead.
         */
        interface ILinkQuality extends yiwang.v1.LinkQuality.$Properties {
        }

        /** Represents a LinkQuality. */
        class LinkQuality {

            /**
             * Constructs a new LinkQuality.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.LinkQuality.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** LinkQuality technology. */
            technology: string;

            /** LinkQuality rsrpDbm. */
            rsrpDbm: number;

            /** LinkQuality rsrqDb. */
            rsrqDb: number;

            /** LinkQuality sinrDb. */
            sinrDb: number;

            /** LinkQuality rssiDbm. */
            rssiDbm: number;

            /**
             * Creates a new LinkQuality instance using the specified properties.
             * @param [properties] Properties to set
             * @returns LinkQuality instance
             */
            static create(properties: yiwang.v1.LinkQuality.$Shape): yiwang.v1.LinkQuality & yiwang.v1.LinkQuality.$Shape;
            static create(properties?: yiwang.v1.LinkQuality.$Properties): yiwang.v1.LinkQuality;

            /**
             * Encodes the specified LinkQuality message. Does not implicitly {@link yiwang.v1.LinkQuality.verify|verify} messages.
             * @param m LinkQuality message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.LinkQuality.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified LinkQuality message, length delimited. Does not implicitly {@link yiwang.v1.LinkQuality.verify|verify} messages.
             * @param message LinkQuality message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.LinkQuality.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a LinkQuality message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.LinkQuality & yiwang.v1.LinkQuality.$Shape} LinkQuality
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.LinkQuality & yiwang.v1.LinkQuality.$Shape;

            /**
             * Decodes a LinkQuality message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.LinkQuality & yiwang.v1.LinkQuality.$Shape} LinkQuality
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.LinkQuality & yiwang.v1.LinkQuality.$Shape;

            /**
             * Verifies a LinkQuality message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a LinkQuality message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns LinkQuality
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.LinkQuality;

            /**
             * Creates a plain object from a LinkQuality message. Also converts values to other types if specified.
             * @param m LinkQuality
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.LinkQuality, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this LinkQuality to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for LinkQuality
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace LinkQuality {

            /** Properties of a LinkQuality. */
            interface $Properties {

                /** LinkQuality technology */
                technology?: (string|null);

                /** LinkQuality rsrpDbm */
                rsrpDbm?: (number|null);

                /** LinkQuality rsrqDb */
                rsrqDb?: (number|null);

                /** LinkQuality sinrDb */
                sinrDb?: (number|null);

                /** LinkQuality rssiDbm */
                rssiDbm?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a LinkQuality. */
            type $Shape = yiwang.v1.LinkQuality.$Properties;
        }

        /**
         * Properties of a Presence.
         * @deprecated Use yiwang.v1.Presence.$Properties instead.
         */
        interface IPresence extends yiwang.v1.Presence.$Properties {
        }

        /** Represents a Presence. */
        class Presence {

            /**
             * Constructs a new Presence.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.Presence.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Presence online. */
            online: boolean;

            /** Presence sinceMs. */
            sinceMs: number;

            /** Presence agentVersion. */
            agentVersion: string;

            /**
             * Creates a new Presence instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Presence instance
             */
            static create(properties: yiwang.v1.Presence.$Shape): yiwang.v1.Presence & yiwang.v1.Presence.$Shape;
            static create(properties?: yiwang.v1.Presence.$Properties): yiwang.v1.Presence;

            /**
             * Encodes the specified Presence message. Does not implicitly {@link yiwang.v1.Presence.verify|verify} messages.
             * @param m Presence message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.Presence.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Presence message, length delimited. Does not implicitly {@link yiwang.v1.Presence.verify|verify} messages.
             * @param message Presence message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.Presence.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Presence message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.Presence & yiwang.v1.Presence.$Shape} Presence
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.Presence & yiwang.v1.Presence.$Shape;

            /**
             * Decodes a Presence message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.Presence & yiwang.v1.Presence.$Shape} Presence
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.Presence & yiwang.v1.Presence.$Shape;

            /**
             * Verifies a Presence message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a Presence message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns Presence
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.Presence;

            /**
             * Creates a plain object from a Presence message. Also converts values to other types if specified.
             * @param m Presence
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.Presence, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Presence to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Presence
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Presence {

            /** Properties of a Presence. */
            interface $Properties {

                /** Presence online */
                online?: (boolean|null);

                /** Presence sinceMs */
                sinceMs?: (number|null);

                /** Presence agentVersion */
                agentVersion?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Presence. */
            type $Shape = yiwang.v1.Presence.$Properties;
        }

        /**
         * Properties of a ClaimRequest.
         * @deprecated Use yiwang.v1.ClaimRequest.$Properties instead.
         */
        interface IClaimRequest extends yiwang.v1.ClaimRequest.$Properties {
        }

        /** Represents a ClaimRequest. */
        class ClaimRequest {

            /**
             * Constructs a new ClaimRequest.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.ClaimRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ClaimRequest token. */
            token: string;

            /** ClaimRequest publicKey. */
            publicKey: Uint8Array;

            /** ClaimRequest requestedId. */
            requestedId: string;

            /** ClaimRequest agentVersion. */
            agentVersion: string;

            /** ClaimRequest hostname. */
            hostname: string;

            /**
             * Creates a new ClaimRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ClaimRequest instance
             */
            static create(properties: yiwang.v1.ClaimRequest.$Shape): yiwang.v1.ClaimRequest & yiwang.v1.ClaimRequest.$Shape;
            static create(properties?: yiwang.v1.ClaimRequest.$Properties): yiwang.v1.ClaimRequest;

            /**
             * Encodes the specified ClaimRequest message. Does not implicitly {@link yiwang.v1.ClaimRequest.verify|verify} messages.
             * @param m ClaimRequest message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.ClaimRequest.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ClaimRequest message, length delimited. Does not implicitly {@link yiwang.v1.ClaimRequest.verify|verify} messages.
             * @param message ClaimRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.ClaimRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ClaimRequest message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.ClaimRequest & yiwang.v1.ClaimRequest.$Shape} ClaimRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.ClaimRequest & yiwang.v1.ClaimRequest.$Shape;

            /**
             * Decodes a ClaimRequest message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.ClaimRequest & yiwang.v1.ClaimRequest.$Shape} ClaimRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.ClaimRequest & yiwang.v1.ClaimRequest.$Shape;

            /**
             * Verifies a ClaimRequest message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a ClaimRequest message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns ClaimRequest
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.ClaimRequest;

            /**
             * Creates a plain object from a ClaimRequest message. Also converts values to other types if specified.
             * @param m ClaimRequest
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.ClaimRequest, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ClaimRequest to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ClaimRequest
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ClaimRequest {

            /** Properties of a ClaimRequest. */
            interface $Properties {

                /** ClaimRequest token */
                token?: (string|null);

                /** ClaimRequest publicKey */
                publicKey?: (Uint8Array|null);

                /** ClaimRequest requestedId */
                requestedId?: (string|null);

                /** ClaimRequest agentVersion */
                agentVersion?: (string|null);

                /** ClaimRequest hostname */
                hostname?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ClaimRequest. */
            type $Shape = yiwang.v1.ClaimRequest.$Properties;
        }

        /**
         * Properties of a ClaimResponse.
         * @deprecated Use yiwang.v1.ClaimResponse.$Properties instead.
         */
        interface IClaimResponse extends yiwang.v1.ClaimResponse.$Properties {
        }

        /** Represents a ClaimResponse. */
        class ClaimResponse {

            /**
             * Constructs a new ClaimResponse.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.ClaimResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ClaimResponse ok. */
            ok: boolean;

            /** ClaimResponse errorCode. */
            errorCode: string;

            /** ClaimResponse detail. */
            detail: string;

            /** ClaimResponse sealedIdentity. */
            sealedIdentity: Uint8Array;

            /** ClaimResponse cloudPublicKey. */
            cloudPublicKey: Uint8Array;

            /**
             * Creates a new ClaimResponse instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ClaimResponse instance
             */
            static create(properties: yiwang.v1.ClaimResponse.$Shape): yiwang.v1.ClaimResponse & yiwang.v1.ClaimResponse.$Shape;
            static create(properties?: yiwang.v1.ClaimResponse.$Properties): yiwang.v1.ClaimResponse;

            /**
             * Encodes the specified ClaimResponse message. Does not implicitly {@link yiwang.v1.ClaimResponse.verify|verify} messages.
             * @param m ClaimResponse message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.ClaimResponse.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ClaimResponse message, length delimited. Does not implicitly {@link yiwang.v1.ClaimResponse.verify|verify} messages.
             * @param message ClaimResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.ClaimResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ClaimResponse message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.ClaimResponse & yiwang.v1.ClaimResponse.$Shape} ClaimResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.ClaimResponse & yiwang.v1.ClaimResponse.$Shape;

            /**
             * Decodes a ClaimResponse message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.ClaimResponse & yiwang.v1.ClaimResponse.$Shape} ClaimResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.ClaimResponse & yiwang.v1.ClaimResponse.$Shape;

            /**
             * Verifies a ClaimResponse message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a ClaimResponse message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns ClaimResponse
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.ClaimResponse;

            /**
             * Creates a plain object from a ClaimResponse message. Also converts values to other types if specified.
             * @param m ClaimResponse
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.ClaimResponse, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ClaimResponse to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ClaimResponse
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ClaimResponse {

            /** Properties of a ClaimResponse. */
            interface $Properties {

                /** ClaimResponse ok */
                ok?: (boolean|null);

                /** ClaimResponse errorCode */
                errorCode?: (string|null);

                /** ClaimResponse detail */
                detail?: (string|null);

                /** ClaimResponse sealedIdentity */
                sealedIdentity?: (Uint8Array|null);

                /** ClaimResponse cloudPublicKey */
                cloudPublicKey?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ClaimResponse. */
            type $Shape = yiwang.v1.ClaimResponse.$Properties;
        }

        /**
         * Properties of a GatewayIdentity.
         * @deprecated Use yiwang.v1.GatewayIdentity.$Properties instead.
         */
        interface IGatewayIdentity extends yiwang.v1.GatewayIdentity.$Properties {
        }

        /** Represents a GatewayIdentity. */
        class GatewayIdentity {

            /**
             * Constructs a new GatewayIdentity.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.GatewayIdentity.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** GatewayIdentity gatewayId. */
            gatewayId: string;

            /** GatewayIdentity secret. */
            secret: string;

            /** GatewayIdentity configPublicKey. */
            configPublicKey: Uint8Array;

            /** GatewayIdentity caPem. */
            caPem: string;

            /** GatewayIdentity group. */
            group: string;

            /** GatewayIdentity site. */
            site: string;

            /** GatewayIdentity district. */
            district: string;

            /** GatewayIdentity tlsUrl. */
            tlsUrl: string;

            /**
             * Creates a new GatewayIdentity instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GatewayIdentity instance
             */
            static create(properties: yiwang.v1.GatewayIdentity.$Shape): yiwang.v1.GatewayIdentity & yiwang.v1.GatewayIdentity.$Shape;
            static create(properties?: yiwang.v1.GatewayIdentity.$Properties): yiwang.v1.GatewayIdentity;

            /**
             * Encodes the specified GatewayIdentity message. Does not implicitly {@link yiwang.v1.GatewayIdentity.verify|verify} messages.
             * @param m GatewayIdentity message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.GatewayIdentity.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified GatewayIdentity message, length delimited. Does not implicitly {@link yiwang.v1.GatewayIdentity.verify|verify} messages.
             * @param message GatewayIdentity message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.GatewayIdentity.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GatewayIdentity message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.GatewayIdentity & yiwang.v1.GatewayIdentity.$Shape} GatewayIdentity
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.GatewayIdentity & yiwang.v1.GatewayIdentity.$Shape;

            /**
             * Decodes a GatewayIdentity message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.GatewayIdentity & yiwang.v1.GatewayIdentity.$Shape} GatewayIdentity
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.GatewayIdentity & yiwang.v1.GatewayIdentity.$Shape;

            /**
             * Verifies a GatewayIdentity message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a GatewayIdentity message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns GatewayIdentity
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.GatewayIdentity;

            /**
             * Creates a plain object from a GatewayIdentity message. Also converts values to other types if specified.
             * @param m GatewayIdentity
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.GatewayIdentity, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this GatewayIdentity to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for GatewayIdentity
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace GatewayIdentity {

            /** Properties of a GatewayIdentity. */
            interface $Properties {

                /** GatewayIdentity gatewayId */
                gatewayId?: (string|null);

                /** GatewayIdentity secret */
                secret?: (string|null);

                /** GatewayIdentity configPublicKey */
                configPublicKey?: (Uint8Array|null);

                /** GatewayIdentity caPem */
                caPem?: (string|null);

                /** GatewayIdentity group */
                group?: (string|null);

                /** GatewayIdentity site */
                site?: (string|null);

                /** GatewayIdentity district */
                district?: (string|null);

                /** GatewayIdentity tlsUrl */
                tlsUrl?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a GatewayIdentity. */
            type $Shape = yiwang.v1.GatewayIdentity.$Properties;
        }

        /**
         * Properties of a ConfigDocument.
         * @deprecated Use yiwang.v1.ConfigDocument.$Properties instead.
         */
        interface IConfigDocument extends yiwang.v1.ConfigDocument.$Properties {
        }

        /** Represents a ConfigDocument. */
        class ConfigDocument {

            /**
             * Constructs a new ConfigDocument.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.ConfigDocument.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ConfigDocument gatewayId. */
            gatewayId: string;

            /** ConfigDocument version. */
            version: number;

            /** ConfigDocument toml. */
            toml: string;

            /** ConfigDocument issuedMs. */
            issuedMs: number;

            /** ConfigDocument label. */
            label: string;

            /**
             * Creates a new ConfigDocument instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ConfigDocument instance
             */
            static create(properties: yiwang.v1.ConfigDocument.$Shape): yiwang.v1.ConfigDocument & yiwang.v1.ConfigDocument.$Shape;
            static create(properties?: yiwang.v1.ConfigDocument.$Properties): yiwang.v1.ConfigDocument;

            /**
             * Encodes the specified ConfigDocument message. Does not implicitly {@link yiwang.v1.ConfigDocument.verify|verify} messages.
             * @param m ConfigDocument message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.ConfigDocument.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ConfigDocument message, length delimited. Does not implicitly {@link yiwang.v1.ConfigDocument.verify|verify} messages.
             * @param message ConfigDocument message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.ConfigDocument.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConfigDocument message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.ConfigDocument & yiwang.v1.ConfigDocument.$Shape} ConfigDocument
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.ConfigDocument & yiwang.v1.ConfigDocument.$Shape;

            /**
             * Decodes a ConfigDocument message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.ConfigDocument & yiwang.v1.ConfigDocument.$Shape} ConfigDocument
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.ConfigDocument & yiwang.v1.ConfigDocument.$Shape;

            /**
             * Verifies a ConfigDocument message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a ConfigDocument message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns ConfigDocument
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.ConfigDocument;

            /**
             * Creates a plain object from a ConfigDocument message. Also converts values to other types if specified.
             * @param m ConfigDocument
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.ConfigDocument, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ConfigDocument to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ConfigDocument
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ConfigDocument {

            /** Properties of a ConfigDocument. */
            interface $Properties {

                /** ConfigDocument gatewayId */
                gatewayId?: (string|null);

                /** ConfigDocument version */
                version?: (number|null);

                /** ConfigDocument toml */
                toml?: (string|null);

                /** ConfigDocument issuedMs */
                issuedMs?: (number|null);

                /** ConfigDocument label */
                label?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ConfigDocument. */
            type $Shape = yiwang.v1.ConfigDocument.$Properties;
        }

        /**
         * Properties of a ConfigEnvelope.
         * @deprecated Use yiwang.v1.ConfigEnvelope.$Properties instead.
         */
        interface IConfigEnvelope extends yiwang.v1.ConfigEnvelope.$Properties {
        }

        /** Represents a ConfigEnvelope. */
        class ConfigEnvelope {

            /**
             * Constructs a new ConfigEnvelope.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.ConfigEnvelope.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ConfigEnvelope document. */
            document: Uint8Array;

            /** ConfigEnvelope signature. */
            signature: Uint8Array;

            /** ConfigEnvelope keyId. */
            keyId: string;

            /** ConfigEnvelope transitions. */
            transitions: yiwang.v1.KeyTransition.$Properties[];

            /**
             * Creates a new ConfigEnvelope instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ConfigEnvelope instance
             */
            static create(properties: yiwang.v1.ConfigEnvelope.$Shape): yiwang.v1.ConfigEnvelope & yiwang.v1.ConfigEnvelope.$Shape;
            static create(properties?: yiwang.v1.ConfigEnvelope.$Properties): yiwang.v1.ConfigEnvelope;

            /**
             * Encodes the specified ConfigEnvelope message. Does not implicitly {@link yiwang.v1.ConfigEnvelope.verify|verify} messages.
             * @param m ConfigEnvelope message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.ConfigEnvelope.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ConfigEnvelope message, length delimited. Does not implicitly {@link yiwang.v1.ConfigEnvelope.verify|verify} messages.
             * @param message ConfigEnvelope message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.ConfigEnvelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConfigEnvelope message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.ConfigEnvelope & yiwang.v1.ConfigEnvelope.$Shape} ConfigEnvelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.ConfigEnvelope & yiwang.v1.ConfigEnvelope.$Shape;

            /**
             * Decodes a ConfigEnvelope message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.ConfigEnvelope & yiwang.v1.ConfigEnvelope.$Shape} ConfigEnvelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.ConfigEnvelope & yiwang.v1.ConfigEnvelope.$Shape;

            /**
             * Verifies a ConfigEnvelope message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a ConfigEnvelope message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns ConfigEnvelope
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.ConfigEnvelope;

            /**
             * Creates a plain object from a ConfigEnvelope message. Also converts values to other types if specified.
             * @param m ConfigEnvelope
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.ConfigEnvelope, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ConfigEnvelope to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ConfigEnvelope
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ConfigEnvelope {

            /** Properties of a ConfigEnvelope. */
            interface $Properties {

                /** ConfigEnvelope document */
                document?: (Uint8Array|null);

                /** ConfigEnvelope signature */
                signature?: (Uint8Array|null);

                /** ConfigEnvelope keyId */
                keyId?: (string|null);

                /** ConfigEnvelope transitions */
                transitions?: (yiwang.v1.KeyTransition.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ConfigEnvelope. */
            type $Shape = yiwang.v1.ConfigEnvelope.$Properties;
        }

        /**
         * Properties of a KeyTransition.
         * @deprecated Use yiwang.v1.KeyTransition.$Properties instead.
         */
        interface IKeyTransition extends yiwang.v1.KeyTransition.$Properties {
        }

        /** Represents a KeyTransition. */
        class KeyTransition {

            /**
             * Constructs a new KeyTransition.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.KeyTransition.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** KeyTransition statement. */
            statement: Uint8Array;

            /** KeyTransition signature. */
            signature: Uint8Array;

            /**
             * Creates a new KeyTransition instance using the specified properties.
             * @param [properties] Properties to set
             * @returns KeyTransition instance
             */
            static create(properties: yiwang.v1.KeyTransition.$Shape): yiwang.v1.KeyTransition & yiwang.v1.KeyTransition.$Shape;
            static create(properties?: yiwang.v1.KeyTransition.$Properties): yiwang.v1.KeyTransition;

            /**
             * Encodes the specified KeyTransition message. Does not implicitly {@link yiwang.v1.KeyTransition.verify|verify} messages.
             * @param m KeyTransition message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.KeyTransition.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified KeyTransition message, length delimited. Does not implicitly {@link yiwang.v1.KeyTransition.verify|verify} messages.
             * @param message KeyTransition message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.KeyTransition.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a KeyTransition message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.KeyTransition & yiwang.v1.KeyTransition.$Shape} KeyTransition
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.KeyTransition & yiwang.v1.KeyTransition.$Shape;

            /**
             * Decodes a KeyTransition message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.KeyTransition & yiwang.v1.KeyTransition.$Shape} KeyTransition
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.KeyTransition & yiwang.v1.KeyTransition.$Shape;

            /**
             * Verifies a KeyTransition message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a KeyTransition message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns KeyTransition
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.KeyTransition;

            /**
             * Creates a plain object from a KeyTransition message. Also converts values to other types if specified.
             * @param m KeyTransition
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.KeyTransition, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this KeyTransition to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for KeyTransition
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace KeyTransition {

            /** Properties of a KeyTransition. */
            interface $Properties {

                /** KeyTransition statement */
                statement?: (Uint8Array|null);

                /** KeyTransition signature */
                signature?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a KeyTransition. */
            type $Shape = yiwang.v1.KeyTransition.$Properties;
        }

        /**
         * Properties of a KeyTransitionStatement.
         * @deprecated Use yiwang.v1.KeyTransitionStatement.$Properties instead.
         */
        interface IKeyTransitionStatement extends yiwang.v1.KeyTransitionStatement.$Properties {
        }

        /** Represents a KeyTransitionStatement. */
        class KeyTransitionStatement {

            /**
             * Constructs a new KeyTransitionStatement.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.KeyTransitionStatement.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** KeyTransitionStatement newPublicKey. */
            newPublicKey: Uint8Array;

            /** KeyTransitionStatement oldKeyId. */
            oldKeyId: string;

            /** KeyTransitionStatement newKeyId. */
            newKeyId: string;

            /** KeyTransitionStatement issuedMs. */
            issuedMs: number;

            /**
             * Creates a new KeyTransitionStatement instance using the specified properties.
             * @param [properties] Properties to set
             * @returns KeyTransitionStatement instance
             */
            static create(properties: yiwang.v1.KeyTransitionStatement.$Shape): yiwang.v1.KeyTransitionStatement & yiwang.v1.KeyTransitionStatement.$Shape;
            static create(properties?: yiwang.v1.KeyTransitionStatement.$Properties): yiwang.v1.KeyTransitionStatement;

            /**
             * Encodes the specified KeyTransitionStatement message. Does not implicitly {@link yiwang.v1.KeyTransitionStatement.verify|verify} messages.
             * @param m KeyTransitionStatement message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.KeyTransitionStatement.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified KeyTransitionStatement message, length delimited. Does not implicitly {@link yiwang.v1.KeyTransitionStatement.verify|verify} messages.
             * @param message KeyTransitionStatement message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.KeyTransitionStatement.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a KeyTransitionStatement message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.KeyTransitionStatement & yiwang.v1.KeyTransitionStatement.$Shape} KeyTransitionStatement
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.KeyTransitionStatement & yiwang.v1.KeyTransitionStatement.$Shape;

            /**
             * Decodes a KeyTransitionStatement message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.KeyTransitionStatement & yiwang.v1.KeyTransitionStatement.$Shape} KeyTransitionStatement
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.KeyTransitionStatement & yiwang.v1.KeyTransitionStatement.$Shape;

            /**
             * Verifies a KeyTransitionStatement message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a KeyTransitionStatement message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns KeyTransitionStatement
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.KeyTransitionStatement;

            /**
             * Creates a plain object from a KeyTransitionStatement message. Also converts values to other types if specified.
             * @param m KeyTransitionStatement
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.KeyTransitionStatement, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this KeyTransitionStatement to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for KeyTransitionStatement
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace KeyTransitionStatement {

            /** Properties of a KeyTransitionStatement. */
            interface $Properties {

                /** KeyTransitionStatement newPublicKey */
                newPublicKey?: (Uint8Array|null);

                /** KeyTransitionStatement oldKeyId */
                oldKeyId?: (string|null);

                /** KeyTransitionStatement newKeyId */
                newKeyId?: (string|null);

                /** KeyTransitionStatement issuedMs */
                issuedMs?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a KeyTransitionStatement. */
            type $Shape = yiwang.v1.KeyTransitionStatement.$Properties;
        }

        /**
         * Properties of a ConfigStatus.
         * @deprecated Use yiwang.v1.ConfigStatus.$Properties instead.
         */
        interface IConfigStatus extends yiwang.v1.ConfigStatus.$Properties {
        }

        /** Represents a ConfigStatus. */
        class ConfigStatus {

            /**
             * Constructs a new ConfigStatus.
             * @param [p] Properties to set
             */
            constructor(p?: yiwang.v1.ConfigStatus.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ConfigStatus version. */
            version: number;

            /** ConfigStatus state. */
            state: yiwang.v1.ConfigStatus.State;

            /** ConfigStatus errorCode. */
            errorCode: string;

            /** ConfigStatus detail. */
            detail: string;

            /** ConfigStatus runningVersion. */
            runningVersion: number;

            /** ConfigStatus tsMs. */
            tsMs: number;

            /**
             * Creates a new ConfigStatus instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ConfigStatus instance
             */
            static create(properties: yiwang.v1.ConfigStatus.$Shape): yiwang.v1.ConfigStatus & yiwang.v1.ConfigStatus.$Shape;
            static create(properties?: yiwang.v1.ConfigStatus.$Properties): yiwang.v1.ConfigStatus;

            /**
             * Encodes the specified ConfigStatus message. Does not implicitly {@link yiwang.v1.ConfigStatus.verify|verify} messages.
             * @param m ConfigStatus message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            static encode(m: yiwang.v1.ConfigStatus.$Properties, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ConfigStatus message, length delimited. Does not implicitly {@link yiwang.v1.ConfigStatus.verify|verify} messages.
             * @param message ConfigStatus message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: yiwang.v1.ConfigStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConfigStatus message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns {yiwang.v1.ConfigStatus & yiwang.v1.ConfigStatus.$Shape} ConfigStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): yiwang.v1.ConfigStatus & yiwang.v1.ConfigStatus.$Shape;

            /**
             * Decodes a ConfigStatus message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {yiwang.v1.ConfigStatus & yiwang.v1.ConfigStatus.$Shape} ConfigStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): yiwang.v1.ConfigStatus & yiwang.v1.ConfigStatus.$Shape;

            /**
             * Verifies a ConfigStatus message.
             * @param m Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(m: { [k: string]: any }): (string|null);

            /**
             * Creates a ConfigStatus message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns ConfigStatus
             */
            static fromObject(d: { [k: string]: any }): yiwang.v1.ConfigStatus;

            /**
             * Creates a plain object from a ConfigStatus message. Also converts values to other types if specified.
             * @param m ConfigStatus
             * @param [o] Conversion options
             * @returns Plain object
             */
            static toObject(m: yiwang.v1.ConfigStatus, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ConfigStatus to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ConfigStatus
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ConfigStatus {

            /** Properties of a ConfigStatus. */
            interface $Properties {

                /** ConfigStatus version */
                version?: (number|null);

                /** ConfigStatus state */
                state?: (yiwang.v1.ConfigStatus.State|null);

                /** ConfigStatus errorCode */
                errorCode?: (string|null);

                /** ConfigStatus detail */
                detail?: (string|null);

                /** ConfigStatus runningVersion */
                runningVersion?: (number|null);

                /** ConfigStatus tsMs */
                tsMs?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ConfigStatus. */
            type $Shape = yiwang.v1.ConfigStatus.$Properties;

            /** State enum. */
            enum State {

                /** APPLIED value */
                APPLIED = 0,

                /** FAILED value */
                FAILED = 1,

                /** REJECTED value */
                REJECTED = 2
            }
        }
    }
}
