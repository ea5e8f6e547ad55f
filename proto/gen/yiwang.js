/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $String = $util.global.String, $Number = $util.global.Number, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt, $Array = $util.global.Array, $Boolean = $util.global.Boolean, $isFinite = $util.global.isFinite;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const yiwang = $root.yiwang = (() => {

    /**
     * Namespace yiwang.
     * @exports yiwang
     * @namespace
     */
    const yiwang = {};

    yiwang.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof yiwang
         * @namespace
         */
        const v1 = {};

        /**
         * Priority enum.
         * @name yiwang.v1.Priority
         * @enum {number}
         * @property {number} PRIORITY_NORMAL=0 PRIORITY_NORMAL value
         * @property {number} PRIORITY_ALARM=1 PRIORITY_ALARM value
         * @property {number} PRIORITY_BULK=2 PRIORITY_BULK value
         */
        v1.Priority = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "PRIORITY_NORMAL"] = 0;
            values[valuesById[1] = "PRIORITY_ALARM"] = 1;
            values[valuesById[2] = "PRIORITY_BULK"] = 2;
            return values;
        })();

        /**
         * ClockQuality enum.
         * @name yiwang.v1.ClockQuality
         * @enum {number}
         * @property {number} CLOCK_GATEWAY_SYNCED=0 CLOCK_GATEWAY_SYNCED value
         * @property {number} CLOCK_DEVICE=1 CLOCK_DEVICE value
         * @property {number} CLOCK_GATEWAY_UNSYNCED=2 CLOCK_GATEWAY_UNSYNCED value
         * @property {number} CLOCK_GATEWAY_CORRECTED=3 CLOCK_GATEWAY_CORRECTED value
         */
        v1.ClockQuality = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "CLOCK_GATEWAY_SYNCED"] = 0;
            values[valuesById[1] = "CLOCK_DEVICE"] = 1;
            values[valuesById[2] = "CLOCK_GATEWAY_UNSYNCED"] = 2;
            values[valuesById[3] = "CLOCK_GATEWAY_CORRECTED"] = 3;
            return values;
        })();

        /**
         * BodyCodec enum.
         * @name yiwang.v1.BodyCodec
         * @enum {number}
         * @property {number} BODY_PLAIN=0 BODY_PLAIN value
         * @property {number} BODY_DEFLATE_DICT1=1 BODY_DEFLATE_DICT1 value
         */
        v1.BodyCodec = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "BODY_PLAIN"] = 0;
            values[valuesById[1] = "BODY_DEFLATE_DICT1"] = 1;
            return values;
        })();

        /**
         * Unit enum.
         * @name yiwang.v1.Unit
         * @enum {number}
         * @property {number} UNIT_NONE=0 UNIT_NONE value
         * @property {number} UNIT_OTHER=1 UNIT_OTHER value
         * @property {number} UNIT_CEL=2 UNIT_CEL value
         * @property {number} UNIT_PERCENT_RH=3 UNIT_PERCENT_RH value
         * @property {number} UNIT_PERCENT=4 UNIT_PERCENT value
         * @property {number} UNIT_PA=5 UNIT_PA value
         * @property {number} UNIT_HPA=6 UNIT_HPA value
         * @property {number} UNIT_UG_M3=7 UNIT_UG_M3 value
         * @property {number} UNIT_MG_M3=8 UNIT_MG_M3 value
         * @property {number} UNIT_PPM=9 UNIT_PPM value
         * @property {number} UNIT_PPB=10 UNIT_PPB value
         * @property {number} UNIT_MM=11 UNIT_MM value
         * @property {number} UNIT_M=12 UNIT_M value
         * @property {number} UNIT_M_S=13 UNIT_M_S value
         * @property {number} UNIT_DEG=14 UNIT_DEG value
         * @property {number} UNIT_M3=15 UNIT_M3 value
         * @property {number} UNIT_M3_S=16 UNIT_M3_S value
         * @property {number} UNIT_L=17 UNIT_L value
         * @property {number} UNIT_L_S=18 UNIT_L_S value
         * @property {number} UNIT_KWH=19 UNIT_KWH value
         * @property {number} UNIT_WH=20 UNIT_WH value
         * @property {number} UNIT_W=21 UNIT_W value
         * @property {number} UNIT_V=22 UNIT_V value
         * @property {number} UNIT_A=23 UNIT_A value
         * @property {number} UNIT_HZ=24 UNIT_HZ value
         * @property {number} UNIT_DBM=25 UNIT_DBM value
         * @property {number} UNIT_DB=26 UNIT_DB value
         * @property {number} UNIT_S=27 UNIT_S value
         * @property {number} UNIT_LX=28 UNIT_LX value
         * @property {number} UNIT_RATIO=29 UNIT_RATIO value
         * @property {number} UNIT_COUNT=30 UNIT_COUNT value
         * @property {number} UNIT_PH=31 UNIT_PH value
         * @property {number} UNIT_G=32 UNIT_G value
         * @property {number} UNIT_MM_H=33 UNIT_MM_H value
         * @property {number} UNIT_VAR=34 UNIT_VAR value
         * @property {number} UNIT_KVARH=35 UNIT_KVARH value
         */
        v1.Unit = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "UNIT_NONE"] = 0;
            values[valuesById[1] = "UNIT_OTHER"] = 1;
            values[valuesById[2] = "UNIT_CEL"] = 2;
            values[valuesById[3] = "UNIT_PERCENT_RH"] = 3;
            values[valuesById[4] = "UNIT_PERCENT"] = 4;
            values[valuesById[5] = "UNIT_PA"] = 5;
            values[valuesById[6] = "UNIT_HPA"] = 6;
            values[valuesById[7] = "UNIT_UG_M3"] = 7;
            values[valuesById[8] = "UNIT_MG_M3"] = 8;
            values[valuesById[9] = "UNIT_PPM"] = 9;
            values[valuesById[10] = "UNIT_PPB"] = 10;
            values[valuesById[11] = "UNIT_MM"] = 11;
            values[valuesById[12] = "UNIT_M"] = 12;
            values[valuesById[13] = "UNIT_M_S"] = 13;
            values[valuesById[14] = "UNIT_DEG"] = 14;
            values[valuesById[15] = "UNIT_M3"] = 15;
            values[valuesById[16] = "UNIT_M3_S"] = 16;
            values[valuesById[17] = "UNIT_L"] = 17;
            values[valuesById[18] = "UNIT_L_S"] = 18;
            values[valuesById[19] = "UNIT_KWH"] = 19;
            values[valuesById[20] = "UNIT_WH"] = 20;
            values[valuesById[21] = "UNIT_W"] = 21;
            values[valuesById[22] = "UNIT_V"] = 22;
            values[valuesById[23] = "UNIT_A"] = 23;
            values[valuesById[24] = "UNIT_HZ"] = 24;
            values[valuesById[25] = "UNIT_DBM"] = 25;
            values[valuesById[26] = "UNIT_DB"] = 26;
            values[valuesById[27] = "UNIT_S"] = 27;
            values[valuesById[28] = "UNIT_LX"] = 28;
            values[valuesById[29] = "UNIT_RATIO"] = 29;
            values[valuesById[30] = "UNIT_COUNT"] = 30;
            values[valuesById[31] = "UNIT_PH"] = 31;
            values[valuesById[32] = "UNIT_G"] = 32;
            values[valuesById[33] = "UNIT_MM_H"] = 33;
            values[valuesById[34] = "UNIT_VAR"] = 34;
            values[valuesById[35] = "UNIT_KVARH"] = 35;
            return values;
        })();

        /**
         * ValueKind enum.
         * @name yiwang.v1.ValueKind
         * @enum {number}
         * @property {number} VALUE_INT=0 VALUE_INT value
         * @property {number} VALUE_FLOAT=1 VALUE_FLOAT value
         * @property {number} VALUE_BOOL=2 VALUE_BOOL value
         * @property {number} VALUE_STRING=3 VALUE_STRING value
         */
        v1.ValueKind = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "VALUE_INT"] = 0;
            values[valuesById[1] = "VALUE_FLOAT"] = 1;
            values[valuesById[2] = "VALUE_BOOL"] = 2;
            values[valuesById[3] = "VALUE_STRING"] = 3;
            return values;
        })();

        v1.Batch = (function() {

            /**
             * Properties of a Batch.
             * @typedef {Object} yiwang.v1.Batch.$Properties
             * @property {string|null} [gatewayId] Batch gatewayId
             * @property {number|null} [epoch] Batch epoch
             * @property {number|null} [seq] Batch seq
             * @property {yiwang.v1.BodyCodec|null} [codec] Batch codec
             * @property {Uint8Array|null} [body] Batch body
             * @property {number|null} [readingCount] Batch readingCount
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Batch.
             * @memberof yiwang.v1
             * @interface IBatch
             * @augments yiwang.v1.Batch.$Properties
             * @deprecated Use yiwang.v1.Batch.$Properties instead.
             */

            /**
             * Shape of a Batch.
             * @typedef {yiwang.v1.Batch.$Properties} yiwang.v1.Batch.$Shape
             */

            /**
             * Constructs a new Batch.
             * @memberof yiwang.v1
             * @classdesc Represents a Batch.
             * @constructor
             * @param {yiwang.v1.Batch.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Batch = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Batch gatewayId.
             * @member {string} gatewayId
             * @memberof yiwang.v1.Batch
             * @instance
             */
            Batch.prototype.gatewayId = "";

            /**
             * Batch epoch.
             * @member {number} epoch
             * @memberof yiwang.v1.Batch
             * @instance
             */
            Batch.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Batch seq.
             * @member {number} seq
             * @memberof yiwang.v1.Batch
             * @instance
             */
            Batch.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Batch codec.
             * @member {yiwang.v1.BodyCodec} codec
             * @memberof yiwang.v1.Batch
             * @instance
             */
            Batch.prototype.codec = 0;

            /**
             * Batch body.
             * @member {Uint8Array} body
             * @memberof yiwang.v1.Batch
             * @instance
             */
            Batch.prototype.body = $util.newBuffer([]);

            /**
             * Batch readingCount.
             * @member {number} readingCount
             * @memberof yiwang.v1.Batch
             * @instance
             */
            Batch.prototype.readingCount = 0;

            /**
             * Creates a new Batch instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.Batch
             * @static
             * @param {yiwang.v1.Batch.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.Batch} Batch instance
             * @type {{
             *   (properties: yiwang.v1.Batch.$Shape): yiwang.v1.Batch & yiwang.v1.Batch.$Shape;
             *   (properties?: yiwang.v1.Batch.$Properties): yiwang.v1.Batch;
             * }}
             */
            Batch.create = function(properties) {
                return new Batch(properties);
            };

            /**
             * Encodes the specified Batch message. Does not implicitly {@link yiwang.v1.Batch.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.Batch
             * @static
             * @param {yiwang.v1.Batch.$Properties} m Batch message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Batch.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId") && m.gatewayId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.gatewayId);
                if (m.epoch != null && $Object.hasOwnProperty.call(m, "epoch") && (typeof m.epoch === "object" ? m.epoch.low || m.epoch.high : m.epoch !== 0))
                    w.uint32(/* id 2, wireType 0 =*/16).uint64(m.epoch);
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq") && (typeof m.seq === "object" ? m.seq.low || m.seq.high : m.seq !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).uint64(m.seq);
                if (m.codec != null && $Object.hasOwnProperty.call(m, "codec") && m.codec !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).int32(m.codec);
                if (m.body != null && $Object.hasOwnProperty.call(m, "body") && m.body.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.body);
                if (m.readingCount != null && $Object.hasOwnProperty.call(m, "readingCount") && m.readingCount !== 0)
                    w.uint32(/* id 6, wireType 0 =*/48).uint32(m.readingCount);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified Batch message, length delimited. Does not implicitly {@link yiwang.v1.Batch.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.Batch
             * @static
             * @param {yiwang.v1.Batch.$Properties} message Batch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Batch.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Batch message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.Batch
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.Batch & yiwang.v1.Batch.$Shape} Batch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Batch.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.Batch();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.gatewayId = v;
                            else
                                delete m.gatewayId;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.epoch = v;
                            else
                                delete m.epoch;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seq = v;
                            else
                                delete m.seq;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.codec = v;
                            else
                                delete m.codec;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.body = v;
                            else
                                delete m.body;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.readingCount = v;
                            else
                                delete m.readingCount;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a Batch message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.Batch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.Batch & yiwang.v1.Batch.$Shape} Batch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Batch.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Batch message.
             * @function verify
             * @memberof yiwang.v1.Batch
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Batch.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    if (!$util.isString(m.gatewayId))
                        return "gatewayId: string expected";
                }
                if (m.epoch != null && $Object.hasOwnProperty.call(m, "epoch")) {
                    if (!$util.isInteger(m.epoch) && !(m.epoch && $util.isInteger(m.epoch.low) && $util.isInteger(m.epoch.high)))
                        return "epoch: integer|Long expected";
                }
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq")) {
                    if (!$util.isInteger(m.seq) && !(m.seq && $util.isInteger(m.seq.low) && $util.isInteger(m.seq.high)))
                        return "seq: integer|Long expected";
                }
                if (m.codec != null && $Object.hasOwnProperty.call(m, "codec")) {
                    if (typeof m.codec !== "number" || (m.codec | 0) !== m.codec)
                        return "codec: enum value expected";
                }
                if (m.body != null && $Object.hasOwnProperty.call(m, "body")) {
                    if (!(m.body && typeof m.body.length === "number" || $util.isString(m.body)))
                        return "body: buffer expected";
                }
                if (m.readingCount != null && $Object.hasOwnProperty.call(m, "readingCount")) {
                    if (!$util.isInteger(m.readingCount))
                        return "readingCount: integer expected";
                }
                return null;
            };

            /**
             * Creates a Batch message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.Batch
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.Batch} Batch
             */
            Batch.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.Batch)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.Batch: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.Batch();
                if (d.gatewayId != null) {
                    if (typeof d.gatewayId !== "string" || d.gatewayId.length) {
                        m.gatewayId = $String(d.gatewayId);
                    }
                }
                if (d.epoch != null) {
                    if (typeof d.epoch === "object" ? d.epoch.low || d.epoch.high : $Number(d.epoch) !== 0) {
                        if ($util.Long)
                            m.epoch = $util.Long.fromValue(d.epoch, true);
                        else if (typeof d.epoch === "string")
                            m.epoch = $parseInt(d.epoch, 10);
                        else if (typeof d.epoch === "number")
                            m.epoch = d.epoch;
                        else if (typeof d.epoch === "object")
                            m.epoch = new $util.LongBits(d.epoch.low >>> 0, d.epoch.high >>> 0).toNumber(true);
                    }
                }
                if (d.seq != null) {
                    if (typeof d.seq === "object" ? d.seq.low || d.seq.high : $Number(d.seq) !== 0) {
                        if ($util.Long)
                            m.seq = $util.Long.fromValue(d.seq, true);
                        else if (typeof d.seq === "string")
                            m.seq = $parseInt(d.seq, 10);
                        else if (typeof d.seq === "number")
                            m.seq = d.seq;
                        else if (typeof d.seq === "object")
                            m.seq = new $util.LongBits(d.seq.low >>> 0, d.seq.high >>> 0).toNumber(true);
                    }
                }
                if (d.codec !== 0 && (typeof d.codec !== "string" || $root.yiwang.v1.BodyCodec[d.codec] !== 0)) {
                    switch (d.codec) {
                    case "BODY_PLAIN":
                    case 0:
                        m.codec = 0;
                        break;
                    case "BODY_DEFLATE_DICT1":
                    case 1:
                        m.codec = 1;
                        break;
                    default:
                        if (typeof d.codec === "number" && (d.codec | 0) === d.codec)
                            m.codec = d.codec;
                    }
                }
                if (d.body != null) {
                    if (d.body.length) {
                        if (typeof d.body === "string")
                            $util.base64.decode(d.body, m.body = $util.newBuffer($util.base64.length(d.body)), 0);
                        else if (d.body.length >= 0)
                            m.body = d.body;
                    }
                }
                if (d.readingCount != null) {
                    if ($Number(d.readingCount) !== 0) {
                        m.readingCount = d.readingCount >>> 0;
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a Batch message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.Batch
             * @static
             * @param {yiwang.v1.Batch} m Batch
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Batch.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.gatewayId = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.epoch = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.epoch = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.seq = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.seq = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.codec = o.enums === $String ? "BODY_PLAIN" : 0;
                    if (o.bytes === $String)
                        d.body = "";
                    else {
                        d.body = [];
                        if (o.bytes !== $Array)
                            d.body = $util.newBuffer(d.body);
                    }
                    d.readingCount = 0;
                }
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    d.gatewayId = m.gatewayId;
                }
                if (m.epoch != null && $Object.hasOwnProperty.call(m, "epoch")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.epoch = typeof m.epoch === "number" ? $BigInt(m.epoch) : $util.Long.fromBits(m.epoch.low >>> 0, m.epoch.high >>> 0, true).toBigInt();
                    else if (typeof m.epoch === "number")
                        d.epoch = o.longs === $String ? $String(m.epoch) : m.epoch;
                    else
                        d.epoch = o.longs === $String ? $util.Long.prototype.toString.call(m.epoch) : o.longs === $Number ? new $util.LongBits(m.epoch.low >>> 0, m.epoch.high >>> 0).toNumber(true) : m.epoch;
                }
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.seq = typeof m.seq === "number" ? $BigInt(m.seq) : $util.Long.fromBits(m.seq.low >>> 0, m.seq.high >>> 0, true).toBigInt();
                    else if (typeof m.seq === "number")
                        d.seq = o.longs === $String ? $String(m.seq) : m.seq;
                    else
                        d.seq = o.longs === $String ? $util.Long.prototype.toString.call(m.seq) : o.longs === $Number ? new $util.LongBits(m.seq.low >>> 0, m.seq.high >>> 0).toNumber(true) : m.seq;
                }
                if (m.codec != null && $Object.hasOwnProperty.call(m, "codec")) {
                    d.codec = o.enums === $String ? $root.yiwang.v1.BodyCodec[m.codec] === $undefined ? m.codec : $root.yiwang.v1.BodyCodec[m.codec] : m.codec;
                }
                if (m.body != null && $Object.hasOwnProperty.call(m, "body")) {
                    d.body = o.bytes === $String ? $util.base64.encode(m.body, 0, m.body.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.body) : m.body;
                }
                if (m.readingCount != null && $Object.hasOwnProperty.call(m, "readingCount")) {
                    d.readingCount = m.readingCount;
                }
                return d;
            };

            /**
             * Converts this Batch to JSON.
             * @function toJSON
             * @memberof yiwang.v1.Batch
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Batch.prototype.toJSON = function() {
                return Batch.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Batch
             * @function getTypeUrl
             * @memberof yiwang.v1.Batch
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Batch.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.Batch";
            };

            return Batch;
        })();

        v1.BatchBody = (function() {

            /**
             * Properties of a BatchBody.
             * @typedef {Object} yiwang.v1.BatchBody.$Properties
             * @property {Array.<yiwang.v1.DeviceData.$Properties>|null} [devices] BatchBody devices
             * @property {Array.<yiwang.v1.Event.$Properties>|null} [events] BatchBody events
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a BatchBody.
             * @memberof yiwang.v1
             * @interface IBatchBody
             * @augments yiwang.v1.BatchBody.$Properties
             * @deprecated Use yiwang.v1.BatchBody.$Properties instead.
             */

            /**
             * Shape of a BatchBody.
             * @typedef {yiwang.v1.BatchBody.$Properties} yiwang.v1.BatchBody.$Shape
             */

            /**
             * Constructs a new BatchBody.
             * @memberof yiwang.v1
             * @classdesc Represents a BatchBody.
             * @constructor
             * @param {yiwang.v1.BatchBody.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const BatchBody = function (p) {
                this.devices = [];
                this.events = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * BatchBody devices.
             * @member {Array.<yiwang.v1.DeviceData.$Properties>} devices
             * @memberof yiwang.v1.BatchBody
             * @instance
             */
            BatchBody.prototype.devices = $util.emptyArray;

            /**
             * BatchBody events.
             * @member {Array.<yiwang.v1.Event.$Properties>} events
             * @memberof yiwang.v1.BatchBody
             * @instance
             */
            BatchBody.prototype.events = $util.emptyArray;

            /**
             * Creates a new BatchBody instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.BatchBody
             * @static
             * @param {yiwang.v1.BatchBody.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.BatchBody} BatchBody instance
             * @type {{
             *   (properties: yiwang.v1.BatchBody.$Shape): yiwang.v1.BatchBody & yiwang.v1.BatchBody.$Shape;
             *   (properties?: yiwang.v1.BatchBody.$Properties): yiwang.v1.BatchBody;
             * }}
             */
            BatchBody.create = function(properties) {
                return new BatchBody(properties);
            };

            /**
             * Encodes the specified BatchBody message. Does not implicitly {@link yiwang.v1.BatchBody.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.BatchBody
             * @static
             * @param {yiwang.v1.BatchBody.$Properties} m BatchBody message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BatchBody.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.devices != null && m.devices.length) {
                    for (var i = 0; i < m.devices.length; ++i)
                        $root.yiwang.v1.DeviceData.encode(m.devices[i], w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                }
                if (m.events != null && m.events.length) {
                    for (var i = 0; i < m.events.length; ++i)
                        $root.yiwang.v1.Event.encode(m.events[i], w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified BatchBody message, length delimited. Does not implicitly {@link yiwang.v1.BatchBody.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.BatchBody
             * @static
             * @param {yiwang.v1.BatchBody.$Properties} message BatchBody message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BatchBody.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a BatchBody message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.BatchBody
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.BatchBody & yiwang.v1.BatchBody.$Shape} BatchBody
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BatchBody.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.BatchBody();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if (!(m.devices && m.devices.length))
                                m.devices = [];
                            m.devices.push($root.yiwang.v1.DeviceData.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if (!(m.events && m.events.length))
                                m.events = [];
                            m.events.push($root.yiwang.v1.Event.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a BatchBody message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.BatchBody
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.BatchBody & yiwang.v1.BatchBody.$Shape} BatchBody
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BatchBody.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a BatchBody message.
             * @function verify
             * @memberof yiwang.v1.BatchBody
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            BatchBody.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.devices != null && $Object.hasOwnProperty.call(m, "devices")) {
                    if (!$Array.isArray(m.devices))
                        return "devices: array expected";
                    for (var i = 0; i < m.devices.length; ++i) {
                        {
                            var e = $root.yiwang.v1.DeviceData.verify(m.devices[i], q + 1);
                            if (e)
                                return "devices." + e;
                        }
                    }
                }
                if (m.events != null && $Object.hasOwnProperty.call(m, "events")) {
                    if (!$Array.isArray(m.events))
                        return "events: array expected";
                    for (var i = 0; i < m.events.length; ++i) {
                        {
                            var e = $root.yiwang.v1.Event.verify(m.events[i], q + 1);
                            if (e)
                                return "events." + e;
                        }
                    }
                }
                return null;
            };

            /**
             * Creates a BatchBody message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.BatchBody
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.BatchBody} BatchBody
             */
            BatchBody.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.BatchBody)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.BatchBody: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.BatchBody();
                if (d.devices) {
                    if (!$Array.isArray(d.devices))
                        throw $TypeError(".yiwang.v1.BatchBody.devices: array expected");
                    m.devices = $Array(d.devices.length);
                    for (var i = 0; i < d.devices.length; ++i) {
                        if (!$util.isObject(d.devices[i]))
                            throw $TypeError(".yiwang.v1.BatchBody.devices: object expected");
                        m.devices[i] = $root.yiwang.v1.DeviceData.fromObject(d.devices[i], q + 1);
                    }
                }
                if (d.events) {
                    if (!$Array.isArray(d.events))
                        throw $TypeError(".yiwang.v1.BatchBody.events: array expected");
                    m.events = $Array(d.events.length);
                    for (var i = 0; i < d.events.length; ++i) {
                        if (!$util.isObject(d.events[i]))
                            throw $TypeError(".yiwang.v1.BatchBody.events: object expected");
                        m.events[i] = $root.yiwang.v1.Event.fromObject(d.events[i], q + 1);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a BatchBody message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.BatchBody
             * @static
             * @param {yiwang.v1.BatchBody} m BatchBody
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            BatchBody.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.devices = [];
                    d.events = [];
                }
                if (m.devices && m.devices.length) {
                    d.devices = $Array(m.devices.length);
                    for (var j = 0; j < m.devices.length; ++j) {
                        d.devices[j] = $root.yiwang.v1.DeviceData.toObject(m.devices[j], o, q + 1);
                    }
                }
                if (m.events && m.events.length) {
                    d.events = $Array(m.events.length);
                    for (var j = 0; j < m.events.length; ++j) {
                        d.events[j] = $root.yiwang.v1.Event.toObject(m.events[j], o, q + 1);
                    }
                }
                return d;
            };

            /**
             * Converts this BatchBody to JSON.
             * @function toJSON
             * @memberof yiwang.v1.BatchBody
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            BatchBody.prototype.toJSON = function() {
                return BatchBody.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for BatchBody
             * @function getTypeUrl
             * @memberof yiwang.v1.BatchBody
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            BatchBody.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.BatchBody";
            };

            return BatchBody;
        })();

        v1.DeviceData = (function() {

            /**
             * Properties of a DeviceData.
             * @typedef {Object} yiwang.v1.DeviceData.$Properties
             * @property {string|null} [deviceId] DeviceData deviceId
             * @property {Array.<yiwang.v1.Timeline.$Properties>|null} [timelines] DeviceData timelines
             * @property {Array.<string>|null} [metric] DeviceData metric
             * @property {Array.<yiwang.v1.Unit>|null} [unit] DeviceData unit
             * @property {Array.<string>|null} [unitText] DeviceData unitText
             * @property {Array.<yiwang.v1.ValueKind>|null} [kind] DeviceData kind
             * @property {Array.<number>|null} [scale] DeviceData scale
             * @property {Array.<number>|null} [timeline] DeviceData timeline
             * @property {Array.<number>|null} [absentCount] DeviceData absentCount
             * @property {Array.<yiwang.v1.Priority>|null} [priority] DeviceData priority
             * @property {Array.<yiwang.v1.ClockQuality>|null} [clock] DeviceData clock
             * @property {Array.<number>|null} [absent] DeviceData absent
             * @property {Array.<number>|null} [ints] DeviceData ints
             * @property {Array.<number>|null} [floats] DeviceData floats
             * @property {Array.<boolean>|null} [bools] DeviceData bools
             * @property {Array.<string>|null} [strings] DeviceData strings
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DeviceData.
             * @memberof yiwang.v1
             * @interface IDeviceData
             * @augments yiwang.v1.DeviceData.$Properties
             * @deprecated Use yiwang.v1.DeviceData.$Properties instead.
             */

            /**
             * Shape of a DeviceData.
             * @typedef {yiwang.v1.DeviceData.$Properties} yiwang.v1.DeviceData.$Shape
             */

            /**
             * Constructs a new DeviceData.
             * @memberof yiwang.v1
             * @classdesc Represents a DeviceData.
             * @constructor
             * @param {yiwang.v1.DeviceData.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DeviceData = function (p) {
                this.timelines = [];
                this.metric = [];
                this.unit = [];
                this.unitText = [];
                this.kind = [];
                this.scale = [];
                this.timeline = [];
                this.absentCount = [];
                this.priority = [];
                this.clock = [];
                this.absent = [];
                this.ints = [];
                this.floats = [];
                this.bools = [];
                this.strings = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DeviceData deviceId.
             * @member {string} deviceId
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.deviceId = "";

            /**
             * DeviceData timelines.
             * @member {Array.<yiwang.v1.Timeline.$Properties>} timelines
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.timelines = $util.emptyArray;

            /**
             * DeviceData metric.
             * @member {Array.<string>} metric
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.metric = $util.emptyArray;

            /**
             * DeviceData unit.
             * @member {Array.<yiwang.v1.Unit>} unit
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.unit = $util.emptyArray;

            /**
             * DeviceData unitText.
             * @member {Array.<string>} unitText
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.unitText = $util.emptyArray;

            /**
             * DeviceData kind.
             * @member {Array.<yiwang.v1.ValueKind>} kind
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.kind = $util.emptyArray;

            /**
             * DeviceData scale.
             * @member {Array.<number>} scale
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.scale = $util.emptyArray;

            /**
             * DeviceData timeline.
             * @member {Array.<number>} timeline
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.timeline = $util.emptyArray;

            /**
             * DeviceData absentCount.
             * @member {Array.<number>} absentCount
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.absentCount = $util.emptyArray;

            /**
             * DeviceData priority.
             * @member {Array.<yiwang.v1.Priority>} priority
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.priority = $util.emptyArray;

            /**
             * DeviceData clock.
             * @member {Array.<yiwang.v1.ClockQuality>} clock
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.clock = $util.emptyArray;

            /**
             * DeviceData absent.
             * @member {Array.<number>} absent
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.absent = $util.emptyArray;

            /**
             * DeviceData ints.
             * @member {Array.<number>} ints
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.ints = $util.emptyArray;

            /**
             * DeviceData floats.
             * @member {Array.<number>} floats
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.floats = $util.emptyArray;

            /**
             * DeviceData bools.
             * @member {Array.<boolean>} bools
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.bools = $util.emptyArray;

            /**
             * DeviceData strings.
             * @member {Array.<string>} strings
             * @memberof yiwang.v1.DeviceData
             * @instance
             */
            DeviceData.prototype.strings = $util.emptyArray;

            /**
             * Creates a new DeviceData instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.DeviceData
             * @static
             * @param {yiwang.v1.DeviceData.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.DeviceData} DeviceData instance
             * @type {{
             *   (properties: yiwang.v1.DeviceData.$Shape): yiwang.v1.DeviceData & yiwang.v1.DeviceData.$Shape;
             *   (properties?: yiwang.v1.DeviceData.$Properties): yiwang.v1.DeviceData;
             * }}
             */
            DeviceData.create = function(properties) {
                return new DeviceData(properties);
            };

            /**
             * Encodes the specified DeviceData message. Does not implicitly {@link yiwang.v1.DeviceData.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.DeviceData
             * @static
             * @param {yiwang.v1.DeviceData.$Properties} m DeviceData message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DeviceData.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.deviceId != null && $Object.hasOwnProperty.call(m, "deviceId") && m.deviceId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.deviceId);
                if (m.timelines != null && m.timelines.length) {
                    for (var i = 0; i < m.timelines.length; ++i)
                        $root.yiwang.v1.Timeline.encode(m.timelines[i], w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                }
                if (m.metric != null && m.metric.length) {
                    for (var i = 0; i < m.metric.length; ++i)
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.metric[i]);
                }
                if (m.unit != null && m.unit.length) {
                    w.uint32(/* id 4, wireType 2 =*/34).int32s(m.unit);
                }
                if (m.unitText != null && m.unitText.length) {
                    for (var i = 0; i < m.unitText.length; ++i)
                        w.uint32(/* id 5, wireType 2 =*/42).string(m.unitText[i]);
                }
                if (m.kind != null && m.kind.length) {
                    w.uint32(/* id 6, wireType 2 =*/50).int32s(m.kind);
                }
                if (m.scale != null && m.scale.length) {
                    w.uint32(/* id 7, wireType 2 =*/58).sint32s(m.scale);
                }
                if (m.timeline != null && m.timeline.length) {
                    w.uint32(/* id 8, wireType 2 =*/66).uint32s(m.timeline);
                }
                if (m.absentCount != null && m.absentCount.length) {
                    w.uint32(/* id 9, wireType 2 =*/74).uint32s(m.absentCount);
                }
                if (m.priority != null && m.priority.length) {
                    w.uint32(/* id 10, wireType 2 =*/82).int32s(m.priority);
                }
                if (m.clock != null && m.clock.length) {
                    w.uint32(/* id 11, wireType 2 =*/90).int32s(m.clock);
                }
                if (m.ints != null && m.ints.length) {
                    w.uint32(/* id 12, wireType 2 =*/98).sint64s(m.ints);
                }
                if (m.floats != null && m.floats.length) {
                    w.uint32(/* id 13, wireType 2 =*/106).doubles(m.floats);
                }
                if (m.bools != null && m.bools.length) {
                    w.uint32(/* id 14, wireType 2 =*/114).bools(m.bools);
                }
                if (m.strings != null && m.strings.length) {
                    for (var i = 0; i < m.strings.length; ++i)
                        w.uint32(/* id 15, wireType 2 =*/122).string(m.strings[i]);
                }
                if (m.absent != null && m.absent.length) {
                    w.uint32(/* id 16, wireType 2 =*/130).uint32s(m.absent);
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified DeviceData message, length delimited. Does not implicitly {@link yiwang.v1.DeviceData.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.DeviceData
             * @static
             * @param {yiwang.v1.DeviceData.$Properties} message DeviceData message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DeviceData.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a DeviceData message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.DeviceData
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.DeviceData & yiwang.v1.DeviceData.$Shape} DeviceData
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DeviceData.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.DeviceData();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.deviceId = v;
                            else
                                delete m.deviceId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if (!(m.timelines && m.timelines.length))
                                m.timelines = [];
                            m.timelines.push($root.yiwang.v1.Timeline.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if (!(m.metric && m.metric.length))
                                m.metric = [];
                            m.metric.push(r.stringVerify());
                            continue;
                        }
                    case 4: {
                            if (u === 2) {
                                if (!(m.unit && m.unit.length))
                                    m.unit = [];
                                r.int32s(m.unit);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.unit && m.unit.length))
                                m.unit = [];
                            m.unit.push(r.int32());
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if (!(m.unitText && m.unitText.length))
                                m.unitText = [];
                            m.unitText.push(r.stringVerify());
                            continue;
                        }
                    case 6: {
                            if (u === 2) {
                                if (!(m.kind && m.kind.length))
                                    m.kind = [];
                                r.int32s(m.kind);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.kind && m.kind.length))
                                m.kind = [];
                            m.kind.push(r.int32());
                            continue;
                        }
                    case 7: {
                            if (u === 2) {
                                if (!(m.scale && m.scale.length))
                                    m.scale = [];
                                r.sint32s(m.scale);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.scale && m.scale.length))
                                m.scale = [];
                            m.scale.push(r.sint32());
                            continue;
                        }
                    case 8: {
                            if (u === 2) {
                                if (!(m.timeline && m.timeline.length))
                                    m.timeline = [];
                                r.uint32s(m.timeline);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.timeline && m.timeline.length))
                                m.timeline = [];
                            m.timeline.push(r.uint32());
                            continue;
                        }
                    case 9: {
                            if (u === 2) {
                                if (!(m.absentCount && m.absentCount.length))
                                    m.absentCount = [];
                                r.uint32s(m.absentCount);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.absentCount && m.absentCount.length))
                                m.absentCount = [];
                            m.absentCount.push(r.uint32());
                            continue;
                        }
                    case 10: {
                            if (u === 2) {
                                if (!(m.priority && m.priority.length))
                                    m.priority = [];
                                r.int32s(m.priority);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.priority && m.priority.length))
                                m.priority = [];
                            m.priority.push(r.int32());
                            continue;
                        }
                    case 11: {
                            if (u === 2) {
                                if (!(m.clock && m.clock.length))
                                    m.clock = [];
                                r.int32s(m.clock);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.clock && m.clock.length))
                                m.clock = [];
                            m.clock.push(r.int32());
                            continue;
                        }
                    case 16: {
                            if (u === 2) {
                                if (!(m.absent && m.absent.length))
                                    m.absent = [];
                                r.uint32s(m.absent);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.absent && m.absent.length))
                                m.absent = [];
                            m.absent.push(r.uint32());
                            continue;
                        }
                    case 12: {
                            if (u === 2) {
                                if (!(m.ints && m.ints.length))
                                    m.ints = [];
                                r.sint64s(m.ints);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.ints && m.ints.length))
                                m.ints = [];
                            m.ints.push(r.sint64());
                            continue;
                        }
                    case 13: {
                            if (u === 2) {
                                if (!(m.floats && m.floats.length))
                                    m.floats = [];
                                r.doubles(m.floats);
                                continue;
                            }
                            if (u !== 1)
                                break;
                            if (!(m.floats && m.floats.length))
                                m.floats = [];
                            m.floats.push(r.double());
                            continue;
                        }
                    case 14: {
                            if (u === 2) {
                                if (!(m.bools && m.bools.length))
                                    m.bools = [];
                                r.bools(m.bools);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.bools && m.bools.length))
                                m.bools = [];
                            m.bools.push(r.bool());
                            continue;
                        }
                    case 15: {
                            if (u !== 2)
                                break;
                            if (!(m.strings && m.strings.length))
                                m.strings = [];
                            m.strings.push(r.stringVerify());
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a DeviceData message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.DeviceData
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.DeviceData & yiwang.v1.DeviceData.$Shape} DeviceData
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DeviceData.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a DeviceData message.
             * @function verify
             * @memberof yiwang.v1.DeviceData
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            DeviceData.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.deviceId != null && $Object.hasOwnProperty.call(m, "deviceId")) {
                    if (!$util.isString(m.deviceId))
                        return "deviceId: string expected";
                }
                if (m.timelines != null && $Object.hasOwnProperty.call(m, "timelines")) {
                    if (!$Array.isArray(m.timelines))
                        return "timelines: array expected";
                    for (var i = 0; i < m.timelines.length; ++i) {
                        {
                            var e = $root.yiwang.v1.Timeline.verify(m.timelines[i], q + 1);
                            if (e)
                                return "timelines." + e;
                        }
                    }
                }
                if (m.metric != null && $Object.hasOwnProperty.call(m, "metric")) {
                    if (!$Array.isArray(m.metric))
                        return "metric: array expected";
                    for (var i = 0; i < m.metric.length; ++i) {
                        if (!$util.isString(m.metric[i]))
                            return "metric: string[] expected";
                    }
                }
                if (m.unit != null && $Object.hasOwnProperty.call(m, "unit")) {
                    if (!$Array.isArray(m.unit))
                        return "unit: array expected";
                    for (var i = 0; i < m.unit.length; ++i) {
                        if (typeof m.unit[i] !== "number" || (m.unit[i] | 0) !== m.unit[i])
                            return "unit: enum value[] expected";
                    }
                }
                if (m.unitText != null && $Object.hasOwnProperty.call(m, "unitText")) {
                    if (!$Array.isArray(m.unitText))
                        return "unitText: array expected";
                    for (var i = 0; i < m.unitText.length; ++i) {
                        if (!$util.isString(m.unitText[i]))
                            return "unitText: string[] expected";
                    }
                }
                if (m.kind != null && $Object.hasOwnProperty.call(m, "kind")) {
                    if (!$Array.isArray(m.kind))
                        return "kind: array expected";
                    for (var i = 0; i < m.kind.length; ++i) {
                        if (typeof m.kind[i] !== "number" || (m.kind[i] | 0) !== m.kind[i])
                            return "kind: enum value[] expected";
                    }
                }
                if (m.scale != null && $Object.hasOwnProperty.call(m, "scale")) {
                    if (!$Array.isArray(m.scale))
                        return "scale: array expected";
                    for (var i = 0; i < m.scale.length; ++i) {
                        if (!$util.isInteger(m.scale[i]))
                            return "scale: integer[] expected";
                    }
                }
                if (m.timeline != null && $Object.hasOwnProperty.call(m, "timeline")) {
                    if (!$Array.isArray(m.timeline))
                        return "timeline: array expected";
                    for (var i = 0; i < m.timeline.length; ++i) {
                        if (!$util.isInteger(m.timeline[i]))
                            return "timeline: integer[] expected";
                    }
                }
                if (m.absentCount != null && $Object.hasOwnProperty.call(m, "absentCount")) {
                    if (!$Array.isArray(m.absentCount))
                        return "absentCount: array expected";
                    for (var i = 0; i < m.absentCount.length; ++i) {
                        if (!$util.isInteger(m.absentCount[i]))
                            return "absentCount: integer[] expected";
                    }
                }
                if (m.priority != null && $Object.hasOwnProperty.call(m, "priority")) {
                    if (!$Array.isArray(m.priority))
                        return "priority: array expected";
                    for (var i = 0; i < m.priority.length; ++i) {
                        if (typeof m.priority[i] !== "number" || (m.priority[i] | 0) !== m.priority[i])
                            return "priority: enum value[] expected";
                    }
                }
                if (m.clock != null && $Object.hasOwnProperty.call(m, "clock")) {
                    if (!$Array.isArray(m.clock))
                        return "clock: array expected";
                    for (var i = 0; i < m.clock.length; ++i) {
                        if (typeof m.clock[i] !== "number" || (m.clock[i] | 0) !== m.clock[i])
                            return "clock: enum value[] expected";
                    }
                }
                if (m.absent != null && $Object.hasOwnProperty.call(m, "absent")) {
                    if (!$Array.isArray(m.absent))
                        return "absent: array expected";
                    for (var i = 0; i < m.absent.length; ++i) {
                        if (!$util.isInteger(m.absent[i]))
                            return "absent: integer[] expected";
                    }
                }
                if (m.ints != null && $Object.hasOwnProperty.call(m, "ints")) {
                    if (!$Array.isArray(m.ints))
                        return "ints: array expected";
                    for (var i = 0; i < m.ints.length; ++i) {
                        if (!$util.isInteger(m.ints[i]) && !(m.ints[i] && $util.isInteger(m.ints[i].low) && $util.isInteger(m.ints[i].high)))
                            return "ints: integer|Long[] expected";
                    }
                }
                if (m.floats != null && $Object.hasOwnProperty.call(m, "floats")) {
                    if (!$Array.isArray(m.floats))
                        return "floats: array expected";
                    for (var i = 0; i < m.floats.length; ++i) {
                        if (typeof m.floats[i] !== "number")
                            return "floats: number[] expected";
                    }
                }
                if (m.bools != null && $Object.hasOwnProperty.call(m, "bools")) {
                    if (!$Array.isArray(m.bools))
                        return "bools: array expected";
                    for (var i = 0; i < m.bools.length; ++i) {
                        if (typeof m.bools[i] !== "boolean")
                            return "bools: boolean[] expected";
                    }
                }
                if (m.strings != null && $Object.hasOwnProperty.call(m, "strings")) {
                    if (!$Array.isArray(m.strings))
                        return "strings: array expected";
                    for (var i = 0; i < m.strings.length; ++i) {
                        if (!$util.isString(m.strings[i]))
                            return "strings: string[] expected";
                    }
                }
                return null;
            };

            /**
             * Creates a DeviceData message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.DeviceData
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.DeviceData} DeviceData
             */
            DeviceData.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.DeviceData)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.DeviceData: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.DeviceData();
                if (d.deviceId != null) {
                    if (typeof d.deviceId !== "string" || d.deviceId.length) {
                        m.deviceId = $String(d.deviceId);
                    }
                }
                if (d.timelines) {
                    if (!$Array.isArray(d.timelines))
                        throw $TypeError(".yiwang.v1.DeviceData.timelines: array expected");
                    m.timelines = $Array(d.timelines.length);
                    for (var i = 0; i < d.timelines.length; ++i) {
                        if (!$util.isObject(d.timelines[i]))
                            throw $TypeError(".yiwang.v1.DeviceData.timelines: object expected");
                        m.timelines[i] = $root.yiwang.v1.Timeline.fromObject(d.timelines[i], q + 1);
                    }
                }
                if (d.metric) {
                    if (!$Array.isArray(d.metric))
                        throw $TypeError(".yiwang.v1.DeviceData.metric: array expected");
                    m.metric = $Array(d.metric.length);
                    for (var i = 0; i < d.metric.length; ++i) {
                        m.metric[i] = $String(d.metric[i]);
                    }
                }
                if (d.unit) {
                    if (!$Array.isArray(d.unit))
                        throw $TypeError(".yiwang.v1.DeviceData.unit: array expected");
                    m.unit = [];
                    for (var i = 0; i < d.unit.length; ++i) {
                        switch (d.unit[i]) {
                        case "UNIT_NONE":
                        case 0:
                            m.unit[m.unit.length] = 0;
                            break;
                        case "UNIT_OTHER":
                        case 1:
                            m.unit[m.unit.length] = 1;
                            break;
                        case "UNIT_CEL":
                        case 2:
                            m.unit[m.unit.length] = 2;
                            break;
                        case "UNIT_PERCENT_RH":
                        case 3:
                            m.unit[m.unit.length] = 3;
                            break;
                        case "UNIT_PERCENT":
                        case 4:
                            m.unit[m.unit.length] = 4;
                            break;
                        case "UNIT_PA":
                        case 5:
                            m.unit[m.unit.length] = 5;
                            break;
                        case "UNIT_HPA":
                        case 6:
                            m.unit[m.unit.length] = 6;
                            break;
                        case "UNIT_UG_M3":
                        case 7:
                            m.unit[m.unit.length] = 7;
                            break;
                        case "UNIT_MG_M3":
                        case 8:
                            m.unit[m.unit.length] = 8;
                            break;
                        case "UNIT_PPM":
                        case 9:
                            m.unit[m.unit.length] = 9;
                            break;
                        case "UNIT_PPB":
                        case 10:
                            m.unit[m.unit.length] = 10;
                            break;
                        case "UNIT_MM":
                        case 11:
                            m.unit[m.unit.length] = 11;
                            break;
                        case "UNIT_M":
                        case 12:
                            m.unit[m.unit.length] = 12;
                            break;
                        case "UNIT_M_S":
                        case 13:
                            m.unit[m.unit.length] = 13;
                            break;
                        case "UNIT_DEG":
                        case 14:
                            m.unit[m.unit.length] = 14;
                            break;
                        case "UNIT_M3":
                        case 15:
                            m.unit[m.unit.length] = 15;
                            break;
                        case "UNIT_M3_S":
                        case 16:
                            m.unit[m.unit.length] = 16;
                            break;
                        case "UNIT_L":
                        case 17:
                            m.unit[m.unit.length] = 17;
                            break;
                        case "UNIT_L_S":
                        case 18:
                            m.unit[m.unit.length] = 18;
                            break;
                        case "UNIT_KWH":
                        case 19:
                            m.unit[m.unit.length] = 19;
                            break;
                        case "UNIT_WH":
                        case 20:
                            m.unit[m.unit.length] = 20;
                            break;
                        case "UNIT_W":
                        case 21:
                            m.unit[m.unit.length] = 21;
                            break;
                        case "UNIT_V":
                        case 22:
                            m.unit[m.unit.length] = 22;
                            break;
                        case "UNIT_A":
                        case 23:
                            m.unit[m.unit.length] = 23;
                            break;
                        case "UNIT_HZ":
                        case 24:
                            m.unit[m.unit.length] = 24;
                            break;
                        case "UNIT_DBM":
                        case 25:
                            m.unit[m.unit.length] = 25;
                            break;
                        case "UNIT_DB":
                        case 26:
                            m.unit[m.unit.length] = 26;
                            break;
                        case "UNIT_S":
                        case 27:
                            m.unit[m.unit.length] = 27;
                            break;
                        case "UNIT_LX":
                        case 28:
                            m.unit[m.unit.length] = 28;
                            break;
                        case "UNIT_RATIO":
                        case 29:
                            m.unit[m.unit.length] = 29;
                            break;
                        case "UNIT_COUNT":
                        case 30:
                            m.unit[m.unit.length] = 30;
                            break;
                        case "UNIT_PH":
                        case 31:
                            m.unit[m.unit.length] = 31;
                            break;
                        case "UNIT_G":
                        case 32:
                            m.unit[m.unit.length] = 32;
                            break;
                        case "UNIT_MM_H":
                        case 33:
                            m.unit[m.unit.length] = 33;
                            break;
                        case "UNIT_VAR":
                        case 34:
                            m.unit[m.unit.length] = 34;
                            break;
                        case "UNIT_KVARH":
                        case 35:
                            m.unit[m.unit.length] = 35;
                            break;
                        default:
                            if (typeof d.unit[i] === "number" && (d.unit[i] | 0) === d.unit[i])
                                m.unit[m.unit.length] = d.unit[i];
                        }
                    }
                }
                if (d.unitText) {
                    if (!$Array.isArray(d.unitText))
                        throw $TypeError(".yiwang.v1.DeviceData.unitText: array expected");
                    m.unitText = $Array(d.unitText.length);
                    for (var i = 0; i < d.unitText.length; ++i) {
                        m.unitText[i] = $String(d.unitText[i]);
                    }
                }
                if (d.kind) {
                    if (!$Array.isArray(d.kind))
                        throw $TypeError(".yiwang.v1.DeviceData.kind: array expected");
                    m.kind = [];
                    for (var i = 0; i < d.kind.length; ++i) {
                        switch (d.kind[i]) {
                        case "VALUE_INT":
                        case 0:
                            m.kind[m.kind.length] = 0;
                            break;
                        case "VALUE_FLOAT":
                        case 1:
                            m.kind[m.kind.length] = 1;
                            break;
                        case "VALUE_BOOL":
                        case 2:
                            m.kind[m.kind.length] = 2;
                            break;
                        case "VALUE_STRING":
                        case 3:
                            m.kind[m.kind.length] = 3;
                            break;
                        default:
                            if (typeof d.kind[i] === "number" && (d.kind[i] | 0) === d.kind[i])
                                m.kind[m.kind.length] = d.kind[i];
                        }
                    }
                }
                if (d.scale) {
                    if (!$Array.isArray(d.scale))
                        throw $TypeError(".yiwang.v1.DeviceData.scale: array expected");
                    m.scale = $Array(d.scale.length);
                    for (var i = 0; i < d.scale.length; ++i) {
                        m.scale[i] = d.scale[i] | 0;
                    }
                }
                if (d.timeline) {
                    if (!$Array.isArray(d.timeline))
                        throw $TypeError(".yiwang.v1.DeviceData.timeline: array expected");
                    m.timeline = $Array(d.timeline.length);
                    for (var i = 0; i < d.timeline.length; ++i) {
                        m.timeline[i] = d.timeline[i] >>> 0;
                    }
                }
                if (d.absentCount) {
                    if (!$Array.isArray(d.absentCount))
                        throw $TypeError(".yiwang.v1.DeviceData.absentCount: array expected");
                    m.absentCount = $Array(d.absentCount.length);
                    for (var i = 0; i < d.absentCount.length; ++i) {
                        m.absentCount[i] = d.absentCount[i] >>> 0;
                    }
                }
                if (d.priority) {
                    if (!$Array.isArray(d.priority))
                        throw $TypeError(".yiwang.v1.DeviceData.priority: array expected");
                    m.priority = [];
                    for (var i = 0; i < d.priority.length; ++i) {
                        switch (d.priority[i]) {
                        case "PRIORITY_NORMAL":
                        case 0:
                            m.priority[m.priority.length] = 0;
                            break;
                        case "PRIORITY_ALARM":
                        case 1:
                            m.priority[m.priority.length] = 1;
                            break;
                        case "PRIORITY_BULK":
                        case 2:
                            m.priority[m.priority.length] = 2;
                            break;
                        default:
                            if (typeof d.priority[i] === "number" && (d.priority[i] | 0) === d.priority[i])
                                m.priority[m.priority.length] = d.priority[i];
                        }
                    }
                }
                if (d.clock) {
                    if (!$Array.isArray(d.clock))
                        throw $TypeError(".yiwang.v1.DeviceData.clock: array expected");
                    m.clock = [];
                    for (var i = 0; i < d.clock.length; ++i) {
                        switch (d.clock[i]) {
                        case "CLOCK_GATEWAY_SYNCED":
                        case 0:
                            m.clock[m.clock.length] = 0;
                            break;
                        case "CLOCK_DEVICE":
                        case 1:
                            m.clock[m.clock.length] = 1;
                            break;
                        case "CLOCK_GATEWAY_UNSYNCED":
                        case 2:
                            m.clock[m.clock.length] = 2;
                            break;
                        case "CLOCK_GATEWAY_CORRECTED":
                        case 3:
                            m.clock[m.clock.length] = 3;
                            break;
                        default:
                            if (typeof d.clock[i] === "number" && (d.clock[i] | 0) === d.clock[i])
                                m.clock[m.clock.length] = d.clock[i];
                        }
                    }
                }
                if (d.absent) {
                    if (!$Array.isArray(d.absent))
                        throw $TypeError(".yiwang.v1.DeviceData.absent: array expected");
                    m.absent = $Array(d.absent.length);
                    for (var i = 0; i < d.absent.length; ++i) {
                        m.absent[i] = d.absent[i] >>> 0;
                    }
                }
                if (d.ints) {
                    if (!$Array.isArray(d.ints))
                        throw $TypeError(".yiwang.v1.DeviceData.ints: array expected");
                    m.ints = $Array(d.ints.length);
                    for (var i = 0; i < d.ints.length; ++i) {
                        if ($util.Long)
                            m.ints[i] = $util.Long.fromValue(d.ints[i], false);
                        else if (typeof d.ints[i] === "string")
                            m.ints[i] = $parseInt(d.ints[i], 10);
                        else if (typeof d.ints[i] === "number")
                            m.ints[i] = d.ints[i];
                        else if (typeof d.ints[i] === "object")
                            m.ints[i] = new $util.LongBits(d.ints[i].low >>> 0, d.ints[i].high >>> 0).toNumber();
                    }
                }
                if (d.floats) {
                    if (!$Array.isArray(d.floats))
                        throw $TypeError(".yiwang.v1.DeviceData.floats: array expected");
                    m.floats = $Array(d.floats.length);
                    for (var i = 0; i < d.floats.length; ++i) {
                        m.floats[i] = $Number(d.floats[i]);
                    }
                }
                if (d.bools) {
                    if (!$Array.isArray(d.bools))
                        throw $TypeError(".yiwang.v1.DeviceData.bools: array expected");
                    m.bools = $Array(d.bools.length);
                    for (var i = 0; i < d.bools.length; ++i) {
                        m.bools[i] = $Boolean(d.bools[i]);
                    }
                }
                if (d.strings) {
                    if (!$Array.isArray(d.strings))
                        throw $TypeError(".yiwang.v1.DeviceData.strings: array expected");
                    m.strings = $Array(d.strings.length);
                    for (var i = 0; i < d.strings.length; ++i) {
                        m.strings[i] = $String(d.strings[i]);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a DeviceData message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.DeviceData
             * @static
             * @param {yiwang.v1.DeviceData} m DeviceData
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DeviceData.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.timelines = [];
                    d.metric = [];
                    d.unit = [];
                    d.unitText = [];
                    d.kind = [];
                    d.scale = [];
                    d.timeline = [];
                    d.absentCount = [];
                    d.priority = [];
                    d.clock = [];
                    d.ints = [];
                    d.floats = [];
                    d.bools = [];
                    d.strings = [];
                    d.absent = [];
                }
                if (o.defaults) {
                    d.deviceId = "";
                }
                if (m.deviceId != null && $Object.hasOwnProperty.call(m, "deviceId")) {
                    d.deviceId = m.deviceId;
                }
                if (m.timelines && m.timelines.length) {
                    d.timelines = $Array(m.timelines.length);
                    for (var j = 0; j < m.timelines.length; ++j) {
                        d.timelines[j] = $root.yiwang.v1.Timeline.toObject(m.timelines[j], o, q + 1);
                    }
                }
                if (m.metric && m.metric.length) {
                    d.metric = $Array(m.metric.length);
                    for (var j = 0; j < m.metric.length; ++j) {
                        d.metric[j] = m.metric[j];
                    }
                }
                if (m.unit && m.unit.length) {
                    d.unit = $Array(m.unit.length);
                    for (var j = 0; j < m.unit.length; ++j) {
                        d.unit[j] = o.enums === $String ? $root.yiwang.v1.Unit[m.unit[j]] === $undefined ? m.unit[j] : $root.yiwang.v1.Unit[m.unit[j]] : m.unit[j];
                    }
                }
                if (m.unitText && m.unitText.length) {
                    d.unitText = $Array(m.unitText.length);
                    for (var j = 0; j < m.unitText.length; ++j) {
                        d.unitText[j] = m.unitText[j];
                    }
                }
                if (m.kind && m.kind.length) {
                    d.kind = $Array(m.kind.length);
                    for (var j = 0; j < m.kind.length; ++j) {
                        d.kind[j] = o.enums === $String ? $root.yiwang.v1.ValueKind[m.kind[j]] === $undefined ? m.kind[j] : $root.yiwang.v1.ValueKind[m.kind[j]] : m.kind[j];
                    }
                }
                if (m.scale && m.scale.length) {
                    d.scale = $Array(m.scale.length);
                    for (var j = 0; j < m.scale.length; ++j) {
                        d.scale[j] = m.scale[j];
                    }
                }
                if (m.timeline && m.timeline.length) {
                    d.timeline = $Array(m.timeline.length);
                    for (var j = 0; j < m.timeline.length; ++j) {
                        d.timeline[j] = m.timeline[j];
                    }
                }
                if (m.absentCount && m.absentCount.length) {
                    d.absentCount = $Array(m.absentCount.length);
                    for (var j = 0; j < m.absentCount.length; ++j) {
                        d.absentCount[j] = m.absentCount[j];
                    }
                }
                if (m.priority && m.priority.length) {
                    d.priority = $Array(m.priority.length);
                    for (var j = 0; j < m.priority.length; ++j) {
                        d.priority[j] = o.enums === $String ? $root.yiwang.v1.Priority[m.priority[j]] === $undefined ? m.priority[j] : $root.yiwang.v1.Priority[m.priority[j]] : m.priority[j];
                    }
                }
                if (m.clock && m.clock.length) {
                    d.clock = $Array(m.clock.length);
                    for (var j = 0; j < m.clock.length; ++j) {
                        d.clock[j] = o.enums === $String ? $root.yiwang.v1.ClockQuality[m.clock[j]] === $undefined ? m.clock[j] : $root.yiwang.v1.ClockQuality[m.clock[j]] : m.clock[j];
                    }
                }
                if (m.ints && m.ints.length) {
                    d.ints = $Array(m.ints.length);
                    for (var j = 0; j < m.ints.length; ++j) {
                        if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                            d.ints[j] = typeof m.ints[j] === "number" ? $BigInt(m.ints[j]) : $util.Long.fromBits(m.ints[j].low >>> 0, m.ints[j].high >>> 0, false).toBigInt();
                        else if (typeof m.ints[j] === "number")
                            d.ints[j] = o.longs === $String ? $String(m.ints[j]) : m.ints[j];
                        else
                            d.ints[j] = o.longs === $String ? $util.Long.prototype.toString.call(m.ints[j]) : o.longs === $Number ? new $util.LongBits(m.ints[j].low >>> 0, m.ints[j].high >>> 0).toNumber() : m.ints[j];
                    }
                }
                if (m.floats && m.floats.length) {
                    d.floats = $Array(m.floats.length);
                    for (var j = 0; j < m.floats.length; ++j) {
                        d.floats[j] = o.json && !$isFinite(m.floats[j]) ? $String(m.floats[j]) : m.floats[j];
                    }
                }
                if (m.bools && m.bools.length) {
                    d.bools = $Array(m.bools.length);
                    for (var j = 0; j < m.bools.length; ++j) {
                        d.bools[j] = m.bools[j];
                    }
                }
                if (m.strings && m.strings.length) {
                    d.strings = $Array(m.strings.length);
                    for (var j = 0; j < m.strings.length; ++j) {
                        d.strings[j] = m.strings[j];
                    }
                }
                if (m.absent && m.absent.length) {
                    d.absent = $Array(m.absent.length);
                    for (var j = 0; j < m.absent.length; ++j) {
                        d.absent[j] = m.absent[j];
                    }
                }
                return d;
            };

            /**
             * Converts this DeviceData to JSON.
             * @function toJSON
             * @memberof yiwang.v1.DeviceData
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DeviceData.prototype.toJSON = function() {
                return DeviceData.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for DeviceData
             * @function getTypeUrl
             * @memberof yiwang.v1.DeviceData
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            DeviceData.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.DeviceData";
            };

            return DeviceData;
        })();

        v1.Timeline = (function() {

            /**
             * Properties of a Timeline.
             * @typedef {Object} yiwang.v1.Timeline.$Properties
             * @property {number|null} [startMs] Timeline startMs
             * @property {number|null} [stepMs] Timeline stepMs
             * @property {Array.<number>|null} [deltas] Timeline deltas
             * @property {number|null} [count] Timeline count
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Timeline.
             * @memberof yiwang.v1
             * @interface ITimeline
             * @augments yiwang.v1.Timeline.$Properties
             * @deprecated Use yiwang.v1.Timeline.$Properties instead.
             */

            /**
             * Shape of a Timeline.
             * @typedef {yiwang.v1.Timeline.$Properties} yiwang.v1.Timeline.$Shape
             */

            /**
             * Constructs a new Timeline.
             * @memberof yiwang.v1
             * @classdesc Represents a Timeline.
             * @constructor
             * @param {yiwang.v1.Timeline.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Timeline = function (p) {
                this.deltas = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Timeline startMs.
             * @member {number} startMs
             * @memberof yiwang.v1.Timeline
             * @instance
             */
            Timeline.prototype.startMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Timeline stepMs.
             * @member {number} stepMs
             * @memberof yiwang.v1.Timeline
             * @instance
             */
            Timeline.prototype.stepMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Timeline deltas.
             * @member {Array.<number>} deltas
             * @memberof yiwang.v1.Timeline
             * @instance
             */
            Timeline.prototype.deltas = $util.emptyArray;

            /**
             * Timeline count.
             * @member {number} count
             * @memberof yiwang.v1.Timeline
             * @instance
             */
            Timeline.prototype.count = 0;

            /**
             * Creates a new Timeline instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.Timeline
             * @static
             * @param {yiwang.v1.Timeline.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.Timeline} Timeline instance
             * @type {{
             *   (properties: yiwang.v1.Timeline.$Shape): yiwang.v1.Timeline & yiwang.v1.Timeline.$Shape;
             *   (properties?: yiwang.v1.Timeline.$Properties): yiwang.v1.Timeline;
             * }}
             */
            Timeline.create = function(properties) {
                return new Timeline(properties);
            };

            /**
             * Encodes the specified Timeline message. Does not implicitly {@link yiwang.v1.Timeline.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.Timeline
             * @static
             * @param {yiwang.v1.Timeline.$Properties} m Timeline message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Timeline.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.startMs != null && $Object.hasOwnProperty.call(m, "startMs") && (typeof m.startMs === "object" ? m.startMs.low || m.startMs.high : m.startMs !== 0))
                    w.uint32(/* id 1, wireType 0 =*/8).sint64(m.startMs);
                if (m.stepMs != null && $Object.hasOwnProperty.call(m, "stepMs") && (typeof m.stepMs === "object" ? m.stepMs.low || m.stepMs.high : m.stepMs !== 0))
                    w.uint32(/* id 2, wireType 0 =*/16).uint64(m.stepMs);
                if (m.deltas != null && m.deltas.length) {
                    w.uint32(/* id 3, wireType 2 =*/26).uint64s(m.deltas);
                }
                if (m.count != null && $Object.hasOwnProperty.call(m, "count") && m.count !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).uint32(m.count);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified Timeline message, length delimited. Does not implicitly {@link yiwang.v1.Timeline.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.Timeline
             * @static
             * @param {yiwang.v1.Timeline.$Properties} message Timeline message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Timeline.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Timeline message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.Timeline
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.Timeline & yiwang.v1.Timeline.$Shape} Timeline
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Timeline.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.Timeline();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.sint64()) === "object" ? v.low || v.high : v !== 0)
                                m.startMs = v;
                            else
                                delete m.startMs;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.stepMs = v;
                            else
                                delete m.stepMs;
                            continue;
                        }
                    case 3: {
                            if (u === 2) {
                                if (!(m.deltas && m.deltas.length))
                                    m.deltas = [];
                                r.uint64s(m.deltas);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.deltas && m.deltas.length))
                                m.deltas = [];
                            m.deltas.push(r.uint64());
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.count = v;
                            else
                                delete m.count;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a Timeline message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.Timeline
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.Timeline & yiwang.v1.Timeline.$Shape} Timeline
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Timeline.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Timeline message.
             * @function verify
             * @memberof yiwang.v1.Timeline
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Timeline.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.startMs != null && $Object.hasOwnProperty.call(m, "startMs")) {
                    if (!$util.isInteger(m.startMs) && !(m.startMs && $util.isInteger(m.startMs.low) && $util.isInteger(m.startMs.high)))
                        return "startMs: integer|Long expected";
                }
                if (m.stepMs != null && $Object.hasOwnProperty.call(m, "stepMs")) {
                    if (!$util.isInteger(m.stepMs) && !(m.stepMs && $util.isInteger(m.stepMs.low) && $util.isInteger(m.stepMs.high)))
                        return "stepMs: integer|Long expected";
                }
                if (m.deltas != null && $Object.hasOwnProperty.call(m, "deltas")) {
                    if (!$Array.isArray(m.deltas))
                        return "deltas: array expected";
                    for (var i = 0; i < m.deltas.length; ++i) {
                        if (!$util.isInteger(m.deltas[i]) && !(m.deltas[i] && $util.isInteger(m.deltas[i].low) && $util.isInteger(m.deltas[i].high)))
                            return "deltas: integer|Long[] expected";
                    }
                }
                if (m.count != null && $Object.hasOwnProperty.call(m, "count")) {
                    if (!$util.isInteger(m.count))
                        return "count: integer expected";
                }
                return null;
            };

            /**
             * Creates a Timeline message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.Timeline
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.Timeline} Timeline
             */
            Timeline.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.Timeline)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.Timeline: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.Timeline();
                if (d.startMs != null) {
                    if (typeof d.startMs === "object" ? d.startMs.low || d.startMs.high : $Number(d.startMs) !== 0) {
                        if ($util.Long)
                            m.startMs = $util.Long.fromValue(d.startMs, false);
                        else if (typeof d.startMs === "string")
                            m.startMs = $parseInt(d.startMs, 10);
                        else if (typeof d.startMs === "number")
                            m.startMs = d.startMs;
                        else if (typeof d.startMs === "object")
                            m.startMs = new $util.LongBits(d.startMs.low >>> 0, d.startMs.high >>> 0).toNumber();
                    }
                }
                if (d.stepMs != null) {
                    if (typeof d.stepMs === "object" ? d.stepMs.low || d.stepMs.high : $Number(d.stepMs) !== 0) {
                        if ($util.Long)
                            m.stepMs = $util.Long.fromValue(d.stepMs, true);
                        else if (typeof d.stepMs === "string")
                            m.stepMs = $parseInt(d.stepMs, 10);
                        else if (typeof d.stepMs === "number")
                            m.stepMs = d.stepMs;
                        else if (typeof d.stepMs === "object")
                            m.stepMs = new $util.LongBits(d.stepMs.low >>> 0, d.stepMs.high >>> 0).toNumber(true);
                    }
                }
                if (d.deltas) {
                    if (!$Array.isArray(d.deltas))
                        throw $TypeError(".yiwang.v1.Timeline.deltas: array expected");
                    m.deltas = $Array(d.deltas.length);
                    for (var i = 0; i < d.deltas.length; ++i) {
                        if ($util.Long)
                            m.deltas[i] = $util.Long.fromValue(d.deltas[i], true);
                        else if (typeof d.deltas[i] === "string")
                            m.deltas[i] = $parseInt(d.deltas[i], 10);
                        else if (typeof d.deltas[i] === "number")
                            m.deltas[i] = d.deltas[i];
                        else if (typeof d.deltas[i] === "object")
                            m.deltas[i] = new $util.LongBits(d.deltas[i].low >>> 0, d.deltas[i].high >>> 0).toNumber(true);
                    }
                }
                if (d.count != null) {
                    if ($Number(d.count) !== 0) {
                        m.count = d.count >>> 0;
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a Timeline message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.Timeline
             * @static
             * @param {yiwang.v1.Timeline} m Timeline
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Timeline.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.deltas = [];
                }
                if (o.defaults) {
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, false);
                        d.startMs = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.startMs = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.stepMs = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.stepMs = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.count = 0;
                }
                if (m.startMs != null && $Object.hasOwnProperty.call(m, "startMs")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.startMs = typeof m.startMs === "number" ? $BigInt(m.startMs) : $util.Long.fromBits(m.startMs.low >>> 0, m.startMs.high >>> 0, false).toBigInt();
                    else if (typeof m.startMs === "number")
                        d.startMs = o.longs === $String ? $String(m.startMs) : m.startMs;
                    else
                        d.startMs = o.longs === $String ? $util.Long.prototype.toString.call(m.startMs) : o.longs === $Number ? new $util.LongBits(m.startMs.low >>> 0, m.startMs.high >>> 0).toNumber() : m.startMs;
                }
                if (m.stepMs != null && $Object.hasOwnProperty.call(m, "stepMs")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.stepMs = typeof m.stepMs === "number" ? $BigInt(m.stepMs) : $util.Long.fromBits(m.stepMs.low >>> 0, m.stepMs.high >>> 0, true).toBigInt();
                    else if (typeof m.stepMs === "number")
                        d.stepMs = o.longs === $String ? $String(m.stepMs) : m.stepMs;
                    else
                        d.stepMs = o.longs === $String ? $util.Long.prototype.toString.call(m.stepMs) : o.longs === $Number ? new $util.LongBits(m.stepMs.low >>> 0, m.stepMs.high >>> 0).toNumber(true) : m.stepMs;
                }
                if (m.deltas && m.deltas.length) {
                    d.deltas = $Array(m.deltas.length);
                    for (var j = 0; j < m.deltas.length; ++j) {
                        if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                            d.deltas[j] = typeof m.deltas[j] === "number" ? $BigInt(m.deltas[j]) : $util.Long.fromBits(m.deltas[j].low >>> 0, m.deltas[j].high >>> 0, true).toBigInt();
                        else if (typeof m.deltas[j] === "number")
                            d.deltas[j] = o.longs === $String ? $String(m.deltas[j]) : m.deltas[j];
                        else
                            d.deltas[j] = o.longs === $String ? $util.Long.prototype.toString.call(m.deltas[j]) : o.longs === $Number ? new $util.LongBits(m.deltas[j].low >>> 0, m.deltas[j].high >>> 0).toNumber(true) : m.deltas[j];
                    }
                }
                if (m.count != null && $Object.hasOwnProperty.call(m, "count")) {
                    d.count = m.count;
                }
                return d;
            };

            /**
             * Converts this Timeline to JSON.
             * @function toJSON
             * @memberof yiwang.v1.Timeline
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Timeline.prototype.toJSON = function() {
                return Timeline.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Timeline
             * @function getTypeUrl
             * @memberof yiwang.v1.Timeline
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Timeline.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.Timeline";
            };

            return Timeline;
        })();

        v1.BatchAck = (function() {

            /**
             * Properties of a BatchAck.
             * @typedef {Object} yiwang.v1.BatchAck.$Properties
             * @property {string|null} [gatewayId] BatchAck gatewayId
             * @property {number|null} [epoch] BatchAck epoch
             * @property {number|null} [seq] BatchAck seq
             * @property {yiwang.v1.BatchAck.Status|null} [status] BatchAck status
             * @property {string|null} [errorCode] BatchAck errorCode
             * @property {string|null} [detail] BatchAck detail
             * @property {number|null} [storedReadings] BatchAck storedReadings
             * @property {number|null} [quarantinedReadings] BatchAck quarantinedReadings
             * @property {Array.<yiwang.v1.Quarantined.$Properties>|null} [quarantined] BatchAck quarantined
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a BatchAck.
             * @memberof yiwang.v1
             * @interface IBatchAck
             * @augments yiwang.v1.BatchAck.$Properties
             * @deprecated Use yiwang.v1.BatchAck.$Properties instead.
             */

            /**
             * Shape of a BatchAck.
             * @typedef {yiwang.v1.BatchAck.$Properties} yiwang.v1.BatchAck.$Shape
             */

            /**
             * Constructs a new BatchAck.
             * @memberof yiwang.v1
             * @classdesc Represents a BatchAck.
             * @constructor
             * @param {yiwang.v1.BatchAck.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const BatchAck = function (p) {
                this.quarantined = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * BatchAck gatewayId.
             * @member {string} gatewayId
             * @memberof yiwang.v1.BatchAck
             * @instance
             */
            BatchAck.prototype.gatewayId = "";

            /**
             * BatchAck epoch.
             * @member {number} epoch
             * @memberof yiwang.v1.BatchAck
             * @instance
             */
            BatchAck.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * BatchAck seq.
             * @member {number} seq
             * @memberof yiwang.v1.BatchAck
             * @instance
             */
            BatchAck.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * BatchAck status.
             * @member {yiwang.v1.BatchAck.Status} status
             * @memberof yiwang.v1.BatchAck
             * @instance
             */
            BatchAck.prototype.status = 0;

            /**
             * BatchAck errorCode.
             * @member {string} errorCode
             * @memberof yiwang.v1.BatchAck
             * @instance
             */
            BatchAck.prototype.errorCode = "";

            /**
             * BatchAck detail.
             * @member {string} detail
             * @memberof yiwang.v1.BatchAck
             * @instance
             */
            BatchAck.prototype.detail = "";

            /**
             * BatchAck storedReadings.
             * @member {number} storedReadings
             * @memberof yiwang.v1.BatchAck
             * @instance
             */
            BatchAck.prototype.storedReadings = 0;

            /**
             * BatchAck quarantinedReadings.
             * @member {number} quarantinedReadings
             * @memberof yiwang.v1.BatchAck
             * @instance
             */
            BatchAck.prototype.quarantinedReadings = 0;

            /**
             * BatchAck quarantined.
             * @member {Array.<yiwang.v1.Quarantined.$Properties>} quarantined
             * @memberof yiwang.v1.BatchAck
             * @instance
             */
            BatchAck.prototype.quarantined = $util.emptyArray;

            /**
             * Creates a new BatchAck instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.BatchAck
             * @static
             * @param {yiwang.v1.BatchAck.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.BatchAck} BatchAck instance
             * @type {{
             *   (properties: yiwang.v1.BatchAck.$Shape): yiwang.v1.BatchAck & yiwang.v1.BatchAck.$Shape;
             *   (properties?: yiwang.v1.BatchAck.$Properties): yiwang.v1.BatchAck;
             * }}
             */
            BatchAck.create = function(properties) {
                return new BatchAck(properties);
            };

            /**
             * Encodes the specified BatchAck message. Does not implicitly {@link yiwang.v1.BatchAck.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.BatchAck
             * @static
             * @param {yiwang.v1.BatchAck.$Properties} m BatchAck message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BatchAck.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId") && m.gatewayId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.gatewayId);
                if (m.epoch != null && $Object.hasOwnProperty.call(m, "epoch") && (typeof m.epoch === "object" ? m.epoch.low || m.epoch.high : m.epoch !== 0))
                    w.uint32(/* id 2, wireType 0 =*/16).uint64(m.epoch);
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq") && (typeof m.seq === "object" ? m.seq.low || m.seq.high : m.seq !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).uint64(m.seq);
                if (m.status != null && $Object.hasOwnProperty.call(m, "status") && m.status !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).int32(m.status);
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode") && m.errorCode !== "")
                    w.uint32(/* id 5, wireType 2 =*/42).string(m.errorCode);
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail") && m.detail !== "")
                    w.uint32(/* id 6, wireType 2 =*/50).string(m.detail);
                if (m.storedReadings != null && $Object.hasOwnProperty.call(m, "storedReadings") && m.storedReadings !== 0)
                    w.uint32(/* id 7, wireType 0 =*/56).uint32(m.storedReadings);
                if (m.quarantinedReadings != null && $Object.hasOwnProperty.call(m, "quarantinedReadings") && m.quarantinedReadings !== 0)
                    w.uint32(/* id 8, wireType 0 =*/64).uint32(m.quarantinedReadings);
                if (m.quarantined != null && m.quarantined.length) {
                    for (var i = 0; i < m.quarantined.length; ++i)
                        $root.yiwang.v1.Quarantined.encode(m.quarantined[i], w.uint32(/* id 9, wireType 2 =*/74).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified BatchAck message, length delimited. Does not implicitly {@link yiwang.v1.BatchAck.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.BatchAck
             * @static
             * @param {yiwang.v1.BatchAck.$Properties} message BatchAck message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BatchAck.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a BatchAck message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.BatchAck
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.BatchAck & yiwang.v1.BatchAck.$Shape} BatchAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BatchAck.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.BatchAck();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.gatewayId = v;
                            else
                                delete m.gatewayId;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.epoch = v;
                            else
                                delete m.epoch;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seq = v;
                            else
                                delete m.seq;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.status = v;
                            else
                                delete m.status;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorCode = v;
                            else
                                delete m.errorCode;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.detail = v;
                            else
                                delete m.detail;
                            continue;
                        }
                    case 7: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.storedReadings = v;
                            else
                                delete m.storedReadings;
                            continue;
                        }
                    case 8: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.quarantinedReadings = v;
                            else
                                delete m.quarantinedReadings;
                            continue;
                        }
                    case 9: {
                            if (u !== 2)
                                break;
                            if (!(m.quarantined && m.quarantined.length))
                                m.quarantined = [];
                            m.quarantined.push($root.yiwang.v1.Quarantined.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a BatchAck message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.BatchAck
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.BatchAck & yiwang.v1.BatchAck.$Shape} BatchAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BatchAck.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a BatchAck message.
             * @function verify
             * @memberof yiwang.v1.BatchAck
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            BatchAck.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    if (!$util.isString(m.gatewayId))
                        return "gatewayId: string expected";
                }
                if (m.epoch != null && $Object.hasOwnProperty.call(m, "epoch")) {
                    if (!$util.isInteger(m.epoch) && !(m.epoch && $util.isInteger(m.epoch.low) && $util.isInteger(m.epoch.high)))
                        return "epoch: integer|Long expected";
                }
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq")) {
                    if (!$util.isInteger(m.seq) && !(m.seq && $util.isInteger(m.seq.low) && $util.isInteger(m.seq.high)))
                        return "seq: integer|Long expected";
                }
                if (m.status != null && $Object.hasOwnProperty.call(m, "status")) {
                    if (typeof m.status !== "number" || (m.status | 0) !== m.status)
                        return "status: enum value expected";
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    if (!$util.isString(m.errorCode))
                        return "errorCode: string expected";
                }
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail")) {
                    if (!$util.isString(m.detail))
                        return "detail: string expected";
                }
                if (m.storedReadings != null && $Object.hasOwnProperty.call(m, "storedReadings")) {
                    if (!$util.isInteger(m.storedReadings))
                        return "storedReadings: integer expected";
                }
                if (m.quarantinedReadings != null && $Object.hasOwnProperty.call(m, "quarantinedReadings")) {
                    if (!$util.isInteger(m.quarantinedReadings))
                        return "quarantinedReadings: integer expected";
                }
                if (m.quarantined != null && $Object.hasOwnProperty.call(m, "quarantined")) {
                    if (!$Array.isArray(m.quarantined))
                        return "quarantined: array expected";
                    for (var i = 0; i < m.quarantined.length; ++i) {
                        {
                            var e = $root.yiwang.v1.Quarantined.verify(m.quarantined[i], q + 1);
                            if (e)
                                return "quarantined." + e;
                        }
                    }
                }
                return null;
            };

            /**
             * Creates a BatchAck message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.BatchAck
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.BatchAck} BatchAck
             */
            BatchAck.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.BatchAck)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.BatchAck: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.BatchAck();
                if (d.gatewayId != null) {
                    if (typeof d.gatewayId !== "string" || d.gatewayId.length) {
                        m.gatewayId = $String(d.gatewayId);
                    }
                }
                if (d.epoch != null) {
                    if (typeof d.epoch === "object" ? d.epoch.low || d.epoch.high : $Number(d.epoch) !== 0) {
                        if ($util.Long)
                            m.epoch = $util.Long.fromValue(d.epoch, true);
                        else if (typeof d.epoch === "string")
                            m.epoch = $parseInt(d.epoch, 10);
                        else if (typeof d.epoch === "number")
                            m.epoch = d.epoch;
                        else if (typeof d.epoch === "object")
                            m.epoch = new $util.LongBits(d.epoch.low >>> 0, d.epoch.high >>> 0).toNumber(true);
                    }
                }
                if (d.seq != null) {
                    if (typeof d.seq === "object" ? d.seq.low || d.seq.high : $Number(d.seq) !== 0) {
                        if ($util.Long)
                            m.seq = $util.Long.fromValue(d.seq, true);
                        else if (typeof d.seq === "string")
                            m.seq = $parseInt(d.seq, 10);
                        else if (typeof d.seq === "number")
                            m.seq = d.seq;
                        else if (typeof d.seq === "object")
                            m.seq = new $util.LongBits(d.seq.low >>> 0, d.seq.high >>> 0).toNumber(true);
                    }
                }
                if (d.status !== 0 && (typeof d.status !== "string" || $root.yiwang.v1.BatchAck.Status[d.status] !== 0)) {
                    switch (d.status) {
                    case "STORED":
                    case 0:
                        m.status = 0;
                        break;
                    case "DUPLICATE":
                    case 1:
                        m.status = 1;
                        break;
                    case "REJECTED":
                    case 2:
                        m.status = 2;
                        break;
                    default:
                        if (typeof d.status === "number" && (d.status | 0) === d.status)
                            m.status = d.status;
                    }
                }
                if (d.errorCode != null) {
                    if (typeof d.errorCode !== "string" || d.errorCode.length) {
                        m.errorCode = $String(d.errorCode);
                    }
                }
                if (d.detail != null) {
                    if (typeof d.detail !== "string" || d.detail.length) {
                        m.detail = $String(d.detail);
                    }
                }
                if (d.storedReadings != null) {
                    if ($Number(d.storedReadings) !== 0) {
                        m.storedReadings = d.storedReadings >>> 0;
                    }
                }
                if (d.quarantinedReadings != null) {
                    if ($Number(d.quarantinedReadings) !== 0) {
                        m.quarantinedReadings = d.quarantinedReadings >>> 0;
                    }
                }
                if (d.quarantined) {
                    if (!$Array.isArray(d.quarantined))
                        throw $TypeError(".yiwang.v1.BatchAck.quarantined: array expected");
                    m.quarantined = $Array(d.quarantined.length);
                    for (var i = 0; i < d.quarantined.length; ++i) {
                        if (!$util.isObject(d.quarantined[i]))
                            throw $TypeError(".yiwang.v1.BatchAck.quarantined: object expected");
                        m.quarantined[i] = $root.yiwang.v1.Quarantined.fromObject(d.quarantined[i], q + 1);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a BatchAck message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.BatchAck
             * @static
             * @param {yiwang.v1.BatchAck} m BatchAck
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            BatchAck.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.quarantined = [];
                }
                if (o.defaults) {
                    d.gatewayId = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.epoch = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.epoch = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.seq = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.seq = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.status = o.enums === $String ? "STORED" : 0;
                    d.errorCode = "";
                    d.detail = "";
                    d.storedReadings = 0;
                    d.quarantinedReadings = 0;
                }
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    d.gatewayId = m.gatewayId;
                }
                if (m.epoch != null && $Object.hasOwnProperty.call(m, "epoch")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.epoch = typeof m.epoch === "number" ? $BigInt(m.epoch) : $util.Long.fromBits(m.epoch.low >>> 0, m.epoch.high >>> 0, true).toBigInt();
                    else if (typeof m.epoch === "number")
                        d.epoch = o.longs === $String ? $String(m.epoch) : m.epoch;
                    else
                        d.epoch = o.longs === $String ? $util.Long.prototype.toString.call(m.epoch) : o.longs === $Number ? new $util.LongBits(m.epoch.low >>> 0, m.epoch.high >>> 0).toNumber(true) : m.epoch;
                }
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.seq = typeof m.seq === "number" ? $BigInt(m.seq) : $util.Long.fromBits(m.seq.low >>> 0, m.seq.high >>> 0, true).toBigInt();
                    else if (typeof m.seq === "number")
                        d.seq = o.longs === $String ? $String(m.seq) : m.seq;
                    else
                        d.seq = o.longs === $String ? $util.Long.prototype.toString.call(m.seq) : o.longs === $Number ? new $util.LongBits(m.seq.low >>> 0, m.seq.high >>> 0).toNumber(true) : m.seq;
                }
                if (m.status != null && $Object.hasOwnProperty.call(m, "status")) {
                    d.status = o.enums === $String ? $root.yiwang.v1.BatchAck.Status[m.status] === $undefined ? m.status : $root.yiwang.v1.BatchAck.Status[m.status] : m.status;
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    d.errorCode = m.errorCode;
                }
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail")) {
                    d.detail = m.detail;
                }
                if (m.storedReadings != null && $Object.hasOwnProperty.call(m, "storedReadings")) {
                    d.storedReadings = m.storedReadings;
                }
                if (m.quarantinedReadings != null && $Object.hasOwnProperty.call(m, "quarantinedReadings")) {
                    d.quarantinedReadings = m.quarantinedReadings;
                }
                if (m.quarantined && m.quarantined.length) {
                    d.quarantined = $Array(m.quarantined.length);
                    for (var j = 0; j < m.quarantined.length; ++j) {
                        d.quarantined[j] = $root.yiwang.v1.Quarantined.toObject(m.quarantined[j], o, q + 1);
                    }
                }
                return d;
            };

            /**
             * Converts this BatchAck to JSON.
             * @function toJSON
             * @memberof yiwang.v1.BatchAck
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            BatchAck.prototype.toJSON = function() {
                return BatchAck.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for BatchAck
             * @function getTypeUrl
             * @memberof yiwang.v1.BatchAck
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            BatchAck.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.BatchAck";
            };

            /**
             * Status enum.
             * @name yiwang.v1.BatchAck.Status
             * @enum {number}
             * @property {number} STORED=0 STORED value
             * @property {number} DUPLICATE=1 DUPLICATE value
             * @property {number} REJECTED=2 REJECTED value
             */
            BatchAck.Status = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "STORED"] = 0;
                values[valuesById[1] = "DUPLICATE"] = 1;
                values[valuesById[2] = "REJECTED"] = 2;
                return values;
            })();

            return BatchAck;
        })();

        v1.Quarantined = (function() {

            /**
             * Properties of a Quarantined.
             * @typedef {Object} yiwang.v1.Quarantined.$Properties
             * @property {string|null} [deviceId] Quarantined deviceId
             * @property {string|null} [metric] Quarantined metric
             * @property {string|null} [errorCode] Quarantined errorCode
             * @property {string|null} [detail] Quarantined detail
             * @property {number|null} [count] Quarantined count
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Quarantined.
             * @memberof yiwang.v1
             * @interface IQuarantined
             * @augments yiwang.v1.Quarantined.$Properties
             * @deprecated Use yiwang.v1.Quarantined.$Properties instead.
             */

            /**
             * Shape of a Quarantined.
             * @typedef {yiwang.v1.Quarantined.$Properties} yiwang.v1.Quarantined.$Shape
             */

            /**
             * Constructs a new Quarantined.
             * @memberof yiwang.v1
             * @classdesc Represents a Quarantined.
             * @constructor
             * @param {yiwang.v1.Quarantined.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Quarantined = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Quarantined deviceId.
             * @member {string} deviceId
             * @memberof yiwang.v1.Quarantined
             * @instance
             */
            Quarantined.prototype.deviceId = "";

            /**
             * Quarantined metric.
             * @member {string} metric
             * @memberof yiwang.v1.Quarantined
             * @instance
             */
            Quarantined.prototype.metric = "";

            /**
             * Quarantined errorCode.
             * @member {string} errorCode
             * @memberof yiwang.v1.Quarantined
             * @instance
             */
            Quarantined.prototype.errorCode = "";

            /**
             * Quarantined detail.
             * @member {string} detail
             * @memberof yiwang.v1.Quarantined
             * @instance
             */
            Quarantined.prototype.detail = "";

            /**
             * Quarantined count.
             * @member {number} count
             * @memberof yiwang.v1.Quarantined
             * @instance
             */
            Quarantined.prototype.count = 0;

            /**
             * Creates a new Quarantined instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.Quarantined
             * @static
             * @param {yiwang.v1.Quarantined.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.Quarantined} Quarantined instance
             * @type {{
             *   (properties: yiwang.v1.Quarantined.$Shape): yiwang.v1.Quarantined & yiwang.v1.Quarantined.$Shape;
             *   (properties?: yiwang.v1.Quarantined.$Properties): yiwang.v1.Quarantined;
             * }}
             */
            Quarantined.create = function(properties) {
                return new Quarantined(properties);
            };

            /**
             * Encodes the specified Quarantined message. Does not implicitly {@link yiwang.v1.Quarantined.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.Quarantined
             * @static
             * @param {yiwang.v1.Quarantined.$Properties} m Quarantined message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Quarantined.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.deviceId != null && $Object.hasOwnProperty.call(m, "deviceId") && m.deviceId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.deviceId);
                if (m.metric != null && $Object.hasOwnProperty.call(m, "metric") && m.metric !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.metric);
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode") && m.errorCode !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.errorCode);
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail") && m.detail !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.detail);
                if (m.count != null && $Object.hasOwnProperty.call(m, "count") && m.count !== 0)
                    w.uint32(/* id 5, wireType 0 =*/40).uint32(m.count);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified Quarantined message, length delimited. Does not implicitly {@link yiwang.v1.Quarantined.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.Quarantined
             * @static
             * @param {yiwang.v1.Quarantined.$Properties} message Quarantined message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Quarantined.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Quarantined message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.Quarantined
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.Quarantined & yiwang.v1.Quarantined.$Shape} Quarantined
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Quarantined.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.Quarantined();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.deviceId = v;
                            else
                                delete m.deviceId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.metric = v;
                            else
                                delete m.metric;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorCode = v;
                            else
                                delete m.errorCode;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.detail = v;
                            else
                                delete m.detail;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.count = v;
                            else
                                delete m.count;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a Quarantined message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.Quarantined
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.Quarantined & yiwang.v1.Quarantined.$Shape} Quarantined
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Quarantined.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Quarantined message.
             * @function verify
             * @memberof yiwang.v1.Quarantined
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Quarantined.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.deviceId != null && $Object.hasOwnProperty.call(m, "deviceId")) {
                    if (!$util.isString(m.deviceId))
                        return "deviceId: string expected";
                }
                if (m.metric != null && $Object.hasOwnProperty.call(m, "metric")) {
                    if (!$util.isString(m.metric))
                        return "metric: string expected";
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    if (!$util.isString(m.errorCode))
                        return "errorCode: string expected";
                }
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail")) {
                    if (!$util.isString(m.detail))
                        return "detail: string expected";
                }
                if (m.count != null && $Object.hasOwnProperty.call(m, "count")) {
                    if (!$util.isInteger(m.count))
                        return "count: integer expected";
                }
                return null;
            };

            /**
             * Creates a Quarantined message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.Quarantined
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.Quarantined} Quarantined
             */
            Quarantined.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.Quarantined)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.Quarantined: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.Quarantined();
                if (d.deviceId != null) {
                    if (typeof d.deviceId !== "string" || d.deviceId.length) {
                        m.deviceId = $String(d.deviceId);
                    }
                }
                if (d.metric != null) {
                    if (typeof d.metric !== "string" || d.metric.length) {
                        m.metric = $String(d.metric);
                    }
                }
                if (d.errorCode != null) {
                    if (typeof d.errorCode !== "string" || d.errorCode.length) {
                        m.errorCode = $String(d.errorCode);
                    }
                }
                if (d.detail != null) {
                    if (typeof d.detail !== "string" || d.detail.length) {
                        m.detail = $String(d.detail);
                    }
                }
                if (d.count != null) {
                    if ($Number(d.count) !== 0) {
                        m.count = d.count >>> 0;
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a Quarantined message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.Quarantined
             * @static
             * @param {yiwang.v1.Quarantined} m Quarantined
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Quarantined.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.deviceId = "";
                    d.metric = "";
                    d.errorCode = "";
                    d.detail = "";
                    d.count = 0;
                }
                if (m.deviceId != null && $Object.hasOwnProperty.call(m, "deviceId")) {
                    d.deviceId = m.deviceId;
                }
                if (m.metric != null && $Object.hasOwnProperty.call(m, "metric")) {
                    d.metric = m.metric;
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    d.errorCode = m.errorCode;
                }
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail")) {
                    d.detail = m.detail;
                }
                if (m.count != null && $Object.hasOwnProperty.call(m, "count")) {
                    d.count = m.count;
                }
                return d;
            };

            /**
             * Converts this Quarantined to JSON.
             * @function toJSON
             * @memberof yiwang.v1.Quarantined
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Quarantined.prototype.toJSON = function() {
                return Quarantined.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Quarantined
             * @function getTypeUrl
             * @memberof yiwang.v1.Quarantined
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Quarantined.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.Quarantined";
            };

            return Quarantined;
        })();

        v1.Event = (function() {

            /**
             * Properties of an Event.
             * @typedef {Object} yiwang.v1.Event.$Properties
             * @property {string|null} [id] Event id
             * @property {string|null} [deviceId] Event deviceId
             * @property {string|null} [type] Event type
             * @property {yiwang.v1.Event.Severity|null} [severity] Event severity
             * @property {number|null} [tsMs] Event tsMs
             * @property {yiwang.v1.ClockQuality|null} [clock] Event clock
             * @property {string|null} [message] Event message
             * @property {Object.<string,string>|null} [attributes] Event attributes
             * @property {boolean|null} [active] Event active
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Event.
             * @memberof yiwang.v1
             * @interface IEvent
             * @augments yiwang.v1.Event.$Properties
             * @deprecated Use yiwang.v1.Event.$Properties instead.
             */

            /**
             * Shape of an Event.
             * @typedef {yiwang.v1.Event.$Properties} yiwang.v1.Event.$Shape
             */

            /**
             * Constructs a new Event.
             * @memberof yiwang.v1
             * @classdesc Represents an Event.
             * @constructor
             * @param {yiwang.v1.Event.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Event = function (p) {
                this.attributes = {};
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Event id.
             * @member {string} id
             * @memberof yiwang.v1.Event
             * @instance
             */
            Event.prototype.id = "";

            /**
             * Event deviceId.
             * @member {string} deviceId
             * @memberof yiwang.v1.Event
             * @instance
             */
            Event.prototype.deviceId = "";

            /**
             * Event type.
             * @member {string} type
             * @memberof yiwang.v1.Event
             * @instance
             */
            Event.prototype.type = "";

            /**
             * Event severity.
             * @member {yiwang.v1.Event.Severity} severity
             * @memberof yiwang.v1.Event
             * @instance
             */
            Event.prototype.severity = 0;

            /**
             * Event tsMs.
             * @member {number} tsMs
             * @memberof yiwang.v1.Event
             * @instance
             */
            Event.prototype.tsMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Event clock.
             * @member {yiwang.v1.ClockQuality} clock
             * @memberof yiwang.v1.Event
             * @instance
             */
            Event.prototype.clock = 0;

            /**
             * Event message.
             * @member {string} message
             * @memberof yiwang.v1.Event
             * @instance
             */
            Event.prototype.message = "";

            /**
             * Event attributes.
             * @member {Object.<string,string>} attributes
             * @memberof yiwang.v1.Event
             * @instance
             */
            Event.prototype.attributes = $util.emptyObject;

            /**
             * Event active.
             * @member {boolean} active
             * @memberof yiwang.v1.Event
             * @instance
             */
            Event.prototype.active = false;

            /**
             * Creates a new Event instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.Event
             * @static
             * @param {yiwang.v1.Event.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.Event} Event instance
             * @type {{
             *   (properties: yiwang.v1.Event.$Shape): yiwang.v1.Event & yiwang.v1.Event.$Shape;
             *   (properties?: yiwang.v1.Event.$Properties): yiwang.v1.Event;
             * }}
             */
            Event.create = function(properties) {
                return new Event(properties);
            };

            /**
             * Encodes the specified Event message. Does not implicitly {@link yiwang.v1.Event.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.Event
             * @static
             * @param {yiwang.v1.Event.$Properties} m Event message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Event.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.id);
                if (m.deviceId != null && $Object.hasOwnProperty.call(m, "deviceId") && m.deviceId !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.deviceId);
                if (m.type != null && $Object.hasOwnProperty.call(m, "type") && m.type !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.type);
                if (m.severity != null && $Object.hasOwnProperty.call(m, "severity") && m.severity !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).int32(m.severity);
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs") && (typeof m.tsMs === "object" ? m.tsMs.low || m.tsMs.high : m.tsMs !== 0))
                    w.uint32(/* id 5, wireType 0 =*/40).int64(m.tsMs);
                if (m.clock != null && $Object.hasOwnProperty.call(m, "clock") && m.clock !== 0)
                    w.uint32(/* id 6, wireType 0 =*/48).int32(m.clock);
                if (m.message != null && $Object.hasOwnProperty.call(m, "message") && m.message !== "")
                    w.uint32(/* id 7, wireType 2 =*/58).string(m.message);
                if (m.attributes != null && $Object.hasOwnProperty.call(m, "attributes")) {
                    for (var ks = $Object.keys(m.attributes), i = 0; i < ks.length; ++i) {
                        w.uint32(/* id 8, wireType 2 =*/66).fork().uint32(/* id 1, wireType 2 =*/10).string(ks[i]).uint32(/* id 2, wireType 2 =*/18).string(m.attributes[ks[i]]).ldelim();
                    }
                }
                if (m.active != null && $Object.hasOwnProperty.call(m, "active") && m.active !== false)
                    w.uint32(/* id 9, wireType 0 =*/72).bool(m.active);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified Event message, length delimited. Does not implicitly {@link yiwang.v1.Event.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.Event
             * @static
             * @param {yiwang.v1.Event.$Properties} message Event message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Event.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an Event message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.Event
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.Event & yiwang.v1.Event.$Shape} Event
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Event.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, k, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.Event();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.id = v;
                            else
                                delete m.id;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.deviceId = v;
                            else
                                delete m.deviceId;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.type = v;
                            else
                                delete m.type;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.severity = v;
                            else
                                delete m.severity;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.tsMs = v;
                            else
                                delete m.tsMs;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.clock = v;
                            else
                                delete m.clock;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.message = v;
                            else
                                delete m.message;
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            if (m.attributes === $util.emptyObject)
                                m.attributes = {};
                            var c2 = r.size() + r.pos;
                            if (c2 > r.len)
                                throw $RangeError("index out of range");
                            r.len = c2;
                            k = "";
                            v = "";
                            while (r.pos < c2) {
                                var t2 = r.tag();
                                u = t2 & 7;
                                switch (t2 >>>= 3) {
                                case 1:
                                    if (u !== 2)
                                        break;
                                    k = r.stringVerify();
                                    continue;
                                case 2:
                                    if (u !== 2)
                                        break;
                                    v = r.stringVerify();
                                    continue;
                                }
                                r.skipType(u, q, t2);
                            }
                            if (r.pos !== c2)
                                throw $RangeError("index out of range");
                            r.len = c;
                            if (k === "__proto__")
                                $util.makeProp(m.attributes, k);
                            m.attributes[k] = v;
                            continue;
                        }
                    case 9: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.active = v;
                            else
                                delete m.active;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes an Event message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.Event
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.Event & yiwang.v1.Event.$Shape} Event
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Event.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies an Event message.
             * @function verify
             * @memberof yiwang.v1.Event
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Event.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.id != null && $Object.hasOwnProperty.call(m, "id")) {
                    if (!$util.isString(m.id))
                        return "id: string expected";
                }
                if (m.deviceId != null && $Object.hasOwnProperty.call(m, "deviceId")) {
                    if (!$util.isString(m.deviceId))
                        return "deviceId: string expected";
                }
                if (m.type != null && $Object.hasOwnProperty.call(m, "type")) {
                    if (!$util.isString(m.type))
                        return "type: string expected";
                }
                if (m.severity != null && $Object.hasOwnProperty.call(m, "severity")) {
                    if (typeof m.severity !== "number" || (m.severity | 0) !== m.severity)
                        return "severity: enum value expected";
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    if (!$util.isInteger(m.tsMs) && !(m.tsMs && $util.isInteger(m.tsMs.low) && $util.isInteger(m.tsMs.high)))
                        return "tsMs: integer|Long expected";
                }
                if (m.clock != null && $Object.hasOwnProperty.call(m, "clock")) {
                    if (typeof m.clock !== "number" || (m.clock | 0) !== m.clock)
                        return "clock: enum value expected";
                }
                if (m.message != null && $Object.hasOwnProperty.call(m, "message")) {
                    if (!$util.isString(m.message))
                        return "message: string expected";
                }
                if (m.attributes != null && $Object.hasOwnProperty.call(m, "attributes")) {
                    if (!$util.isObject(m.attributes))
                        return "attributes: object expected";
                    var k = $Object.keys(m.attributes);
                    for (var i = 0; i < k.length; ++i) {
                        if (!$util.isString(m.attributes[k[i]]))
                            return "attributes: string{k:string} expected";
                    }
                }
                if (m.active != null && $Object.hasOwnProperty.call(m, "active")) {
                    if (typeof m.active !== "boolean")
                        return "active: boolean expected";
                }
                return null;
            };

            /**
             * Creates an Event message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.Event
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.Event} Event
             */
            Event.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.Event)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.Event: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.Event();
                if (d.id != null) {
                    if (typeof d.id !== "string" || d.id.length) {
                        m.id = $String(d.id);
                    }
                }
                if (d.deviceId != null) {
                    if (typeof d.deviceId !== "string" || d.deviceId.length) {
                        m.deviceId = $String(d.deviceId);
                    }
                }
                if (d.type != null) {
                    if (typeof d.type !== "string" || d.type.length) {
                        m.type = $String(d.type);
                    }
                }
                if (d.severity !== 0 && (typeof d.severity !== "string" || $root.yiwang.v1.Event.Severity[d.severity] !== 0)) {
                    switch (d.severity) {
                    case "INFO":
                    case 0:
                        m.severity = 0;
                        break;
                    case "WARNING":
                    case 1:
                        m.severity = 1;
                        break;
                    case "CRITICAL":
                    case 2:
                        m.severity = 2;
                        break;
                    default:
                        if (typeof d.severity === "number" && (d.severity | 0) === d.severity)
                            m.severity = d.severity;
                    }
                }
                if (d.tsMs != null) {
                    if (typeof d.tsMs === "object" ? d.tsMs.low || d.tsMs.high : $Number(d.tsMs) !== 0) {
                        if ($util.Long)
                            m.tsMs = $util.Long.fromValue(d.tsMs, false);
                        else if (typeof d.tsMs === "string")
                            m.tsMs = $parseInt(d.tsMs, 10);
                        else if (typeof d.tsMs === "number")
                            m.tsMs = d.tsMs;
                        else if (typeof d.tsMs === "object")
                            m.tsMs = new $util.LongBits(d.tsMs.low >>> 0, d.tsMs.high >>> 0).toNumber();
                    }
                }
                if (d.clock !== 0 && (typeof d.clock !== "string" || $root.yiwang.v1.ClockQuality[d.clock] !== 0)) {
                    switch (d.clock) {
                    case "CLOCK_GATEWAY_SYNCED":
                    case 0:
                        m.clock = 0;
                        break;
                    case "CLOCK_DEVICE":
                    case 1:
                        m.clock = 1;
                        break;
                    case "CLOCK_GATEWAY_UNSYNCED":
                    case 2:
                        m.clock = 2;
                        break;
                    case "CLOCK_GATEWAY_CORRECTED":
                    case 3:
                        m.clock = 3;
                        break;
                    default:
                        if (typeof d.clock === "number" && (d.clock | 0) === d.clock)
                            m.clock = d.clock;
                    }
                }
                if (d.message != null) {
                    if (typeof d.message !== "string" || d.message.length) {
                        m.message = $String(d.message);
                    }
                }
                if (d.attributes) {
                    if (!$util.isObject(d.attributes))
                        throw $TypeError(".yiwang.v1.Event.attributes: object expected");
                    m.attributes = {};
                    for (var ks = $Object.keys(d.attributes), i = 0; i < ks.length; ++i) {
                        if (ks[i] === "__proto__")
                            $util.makeProp(m.attributes, ks[i]);
                        m.attributes[ks[i]] = $String(d.attributes[ks[i]]);
                    }
                }
                if (d.active != null) {
                    if (d.active) {
                        m.active = $Boolean(d.active);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from an Event message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.Event
             * @static
             * @param {yiwang.v1.Event} m Event
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Event.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.objects || o.defaults) {
                    d.attributes = {};
                }
                if (o.defaults) {
                    d.id = "";
                    d.deviceId = "";
                    d.type = "";
                    d.severity = o.enums === $String ? "INFO" : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, false);
                        d.tsMs = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.tsMs = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.clock = o.enums === $String ? "CLOCK_GATEWAY_SYNCED" : 0;
                    d.message = "";
                    d.active = false;
                }
                if (m.id != null && $Object.hasOwnProperty.call(m, "id")) {
                    d.id = m.id;
                }
                if (m.deviceId != null && $Object.hasOwnProperty.call(m, "deviceId")) {
                    d.deviceId = m.deviceId;
                }
                if (m.type != null && $Object.hasOwnProperty.call(m, "type")) {
                    d.type = m.type;
                }
                if (m.severity != null && $Object.hasOwnProperty.call(m, "severity")) {
                    d.severity = o.enums === $String ? $root.yiwang.v1.Event.Severity[m.severity] === $undefined ? m.severity : $root.yiwang.v1.Event.Severity[m.severity] : m.severity;
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.tsMs = typeof m.tsMs === "number" ? $BigInt(m.tsMs) : $util.Long.fromBits(m.tsMs.low >>> 0, m.tsMs.high >>> 0, false).toBigInt();
                    else if (typeof m.tsMs === "number")
                        d.tsMs = o.longs === $String ? $String(m.tsMs) : m.tsMs;
                    else
                        d.tsMs = o.longs === $String ? $util.Long.prototype.toString.call(m.tsMs) : o.longs === $Number ? new $util.LongBits(m.tsMs.low >>> 0, m.tsMs.high >>> 0).toNumber() : m.tsMs;
                }
                if (m.clock != null && $Object.hasOwnProperty.call(m, "clock")) {
                    d.clock = o.enums === $String ? $root.yiwang.v1.ClockQuality[m.clock] === $undefined ? m.clock : $root.yiwang.v1.ClockQuality[m.clock] : m.clock;
                }
                if (m.message != null && $Object.hasOwnProperty.call(m, "message")) {
                    d.message = m.message;
                }
                var ks2;
                if (m.attributes && (ks2 = $Object.keys(m.attributes)).length) {
                    d.attributes = {};
                    for (var j = 0; j < ks2.length; ++j) {
                        if (ks2[j] === "__proto__")
                            $util.makeProp(d.attributes, ks2[j]);
                        d.attributes[ks2[j]] = m.attributes[ks2[j]];
                    }
                }
                if (m.active != null && $Object.hasOwnProperty.call(m, "active")) {
                    d.active = m.active;
                }
                return d;
            };

            /**
             * Converts this Event to JSON.
             * @function toJSON
             * @memberof yiwang.v1.Event
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Event.prototype.toJSON = function() {
                return Event.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Event
             * @function getTypeUrl
             * @memberof yiwang.v1.Event
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Event.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.Event";
            };

            /**
             * Severity enum.
             * @name yiwang.v1.Event.Severity
             * @enum {number}
             * @property {number} INFO=0 INFO value
             * @property {number} WARNING=1 WARNING value
             * @property {number} CRITICAL=2 CRITICAL value
             */
            Event.Severity = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "INFO"] = 0;
                values[valuesById[1] = "WARNING"] = 1;
                values[valuesById[2] = "CRITICAL"] = 2;
                return values;
            })();

            return Event;
        })();

        v1.Health = (function() {

            /**
             * Properties of a Health.
             * @typedef {Object} yiwang.v1.Health.$Properties
             * @property {string|null} [gatewayId] Health gatewayId
             * @property {number|null} [tsMs] Health tsMs
             * @property {number|null} [uptimeS] Health uptimeS
             * @property {number|null} [rssBytes] Health rssBytes
             * @property {number|null} [storeRows] Health storeRows
             * @property {number|null} [storeBytes] Health storeBytes
             * @property {number|null} [oldestAgeMs] Health oldestAgeMs
             * @property {Object.<string,number>|null} [dropped] Health dropped
             * @property {number|null} [devicesOnline] Health devicesOnline
             * @property {number|null} [devicesTotal] Health devicesTotal
             * @property {boolean|null} [clockSynced] Health clockSynced
             * @property {string|null} [configVersion] Health configVersion
             * @property {string|null} [agentVersion] Health agentVersion
             * @property {number|null} [readingsAccepted] Health readingsAccepted
             * @property {number|null} [batchesAcked] Health batchesAcked
             * @property {number|null} [storeCapBytes] Health storeCapBytes
             * @property {number|null} [diskFreeBytes] Health diskFreeBytes
             * @property {number|null} [diskTotalBytes] Health diskTotalBytes
             * @property {yiwang.v1.LinkQuality.$Properties|null} [link] Health link
             * @property {Object.<string,number>|null} [devicesByState] Health devicesByState
             * @property {number|null} [camerasTotal] Health camerasTotal
             * @property {number|null} [camerasOnline] Health camerasOnline
             * @property {Object.<string,number>|null} [camerasByState] Health camerasByState
             * @property {string|null} [configError] Health configError
             * @property {number|null} [drainRate] Health drainRate
             * @property {Object.<string,number>|null} [bytesSentToday] Health bytesSentToday
             * @property {number|null} [unackedBatches] Health unackedBatches
             * @property {number|null} [pendingRows] Health pendingRows
             * @property {number|null} [clockSteps] Health clockSteps
             * @property {number|null} [heldUnsynced] Health heldUnsynced
             * @property {number|null} [quarantinedReadings] Health quarantinedReadings
             * @property {number|null} [deadLetterBatches] Health deadLetterBatches
             * @property {Object.<string,number>|null} [quarantinedByReason] Health quarantinedByReason
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Health.
             * @memberof yiwang.v1
             * @interface IHealth
             * @augments yiwang.v1.Health.$Properties
             * @deprecated Use yiwang.v1.Health.$Properties instead.
             */

            /**
             * Shape of a Health.
             * @typedef {yiwang.v1.Health.$Properties} yiwang.v1.Health.$Shape
             */

            /**
             * Constructs a new Health.
             * @memberof yiwang.v1
             * @classdesc Represents a Health.
             * @constructor
             * @param {yiwang.v1.Health.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Health = function (p) {
                this.dropped = {};
                this.devicesByState = {};
                this.camerasByState = {};
                this.bytesSentToday = {};
                this.quarantinedByReason = {};
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Health gatewayId.
             * @member {string} gatewayId
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.gatewayId = "";

            /**
             * Health tsMs.
             * @member {number} tsMs
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.tsMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Health uptimeS.
             * @member {number} uptimeS
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.uptimeS = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health rssBytes.
             * @member {number} rssBytes
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.rssBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health storeRows.
             * @member {number} storeRows
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.storeRows = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health storeBytes.
             * @member {number} storeBytes
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.storeBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health oldestAgeMs.
             * @member {number} oldestAgeMs
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.oldestAgeMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health dropped.
             * @member {Object.<string,number>} dropped
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.dropped = $util.emptyObject;

            /**
             * Health devicesOnline.
             * @member {number} devicesOnline
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.devicesOnline = 0;

            /**
             * Health devicesTotal.
             * @member {number} devicesTotal
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.devicesTotal = 0;

            /**
             * Health clockSynced.
             * @member {boolean} clockSynced
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.clockSynced = false;

            /**
             * Health configVersion.
             * @member {string} configVersion
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.configVersion = "";

            /**
             * Health agentVersion.
             * @member {string} agentVersion
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.agentVersion = "";

            /**
             * Health readingsAccepted.
             * @member {number} readingsAccepted
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.readingsAccepted = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health batchesAcked.
             * @member {number} batchesAcked
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.batchesAcked = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health storeCapBytes.
             * @member {number} storeCapBytes
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.storeCapBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health diskFreeBytes.
             * @member {number} diskFreeBytes
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.diskFreeBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health diskTotalBytes.
             * @member {number} diskTotalBytes
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.diskTotalBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health link.
             * @member {yiwang.v1.LinkQuality.$Properties|null|undefined} link
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.link = null;

            /**
             * Health devicesByState.
             * @member {Object.<string,number>} devicesByState
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.devicesByState = $util.emptyObject;

            /**
             * Health camerasTotal.
             * @member {number} camerasTotal
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.camerasTotal = 0;

            /**
             * Health camerasOnline.
             * @member {number} camerasOnline
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.camerasOnline = 0;

            /**
             * Health camerasByState.
             * @member {Object.<string,number>} camerasByState
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.camerasByState = $util.emptyObject;

            /**
             * Health configError.
             * @member {string} configError
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.configError = "";

            /**
             * Health drainRate.
             * @member {number} drainRate
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.drainRate = 0;

            /**
             * Health bytesSentToday.
             * @member {Object.<string,number>} bytesSentToday
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.bytesSentToday = $util.emptyObject;

            /**
             * Health unackedBatches.
             * @member {number} unackedBatches
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.unackedBatches = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health pendingRows.
             * @member {number} pendingRows
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.pendingRows = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health clockSteps.
             * @member {number} clockSteps
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.clockSteps = 0;

            /**
             * Health heldUnsynced.
             * @member {number} heldUnsynced
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.heldUnsynced = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health quarantinedReadings.
             * @member {number} quarantinedReadings
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.quarantinedReadings = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health deadLetterBatches.
             * @member {number} deadLetterBatches
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.deadLetterBatches = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Health quarantinedByReason.
             * @member {Object.<string,number>} quarantinedByReason
             * @memberof yiwang.v1.Health
             * @instance
             */
            Health.prototype.quarantinedByReason = $util.emptyObject;

            /**
             * Creates a new Health instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.Health
             * @static
             * @param {yiwang.v1.Health.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.Health} Health instance
             * @type {{
             *   (properties: yiwang.v1.Health.$Shape): yiwang.v1.Health & yiwang.v1.Health.$Shape;
             *   (properties?: yiwang.v1.Health.$Properties): yiwang.v1.Health;
             * }}
             */
            Health.create = function(properties) {
                return new Health(properties);
            };

            /**
             * Encodes the specified Health message. Does not implicitly {@link yiwang.v1.Health.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.Health
             * @static
             * @param {yiwang.v1.Health.$Properties} m Health message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Health.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId") && m.gatewayId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.gatewayId);
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs") && (typeof m.tsMs === "object" ? m.tsMs.low || m.tsMs.high : m.tsMs !== 0))
                    w.uint32(/* id 2, wireType 0 =*/16).int64(m.tsMs);
                if (m.uptimeS != null && $Object.hasOwnProperty.call(m, "uptimeS") && (typeof m.uptimeS === "object" ? m.uptimeS.low || m.uptimeS.high : m.uptimeS !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).uint64(m.uptimeS);
                if (m.rssBytes != null && $Object.hasOwnProperty.call(m, "rssBytes") && (typeof m.rssBytes === "object" ? m.rssBytes.low || m.rssBytes.high : m.rssBytes !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).uint64(m.rssBytes);
                if (m.storeRows != null && $Object.hasOwnProperty.call(m, "storeRows") && (typeof m.storeRows === "object" ? m.storeRows.low || m.storeRows.high : m.storeRows !== 0))
                    w.uint32(/* id 5, wireType 0 =*/40).uint64(m.storeRows);
                if (m.storeBytes != null && $Object.hasOwnProperty.call(m, "storeBytes") && (typeof m.storeBytes === "object" ? m.storeBytes.low || m.storeBytes.high : m.storeBytes !== 0))
                    w.uint32(/* id 6, wireType 0 =*/48).uint64(m.storeBytes);
                if (m.oldestAgeMs != null && $Object.hasOwnProperty.call(m, "oldestAgeMs") && (typeof m.oldestAgeMs === "object" ? m.oldestAgeMs.low || m.oldestAgeMs.high : m.oldestAgeMs !== 0))
                    w.uint32(/* id 7, wireType 0 =*/56).uint64(m.oldestAgeMs);
                if (m.dropped != null && $Object.hasOwnProperty.call(m, "dropped")) {
                    for (var ks = $Object.keys(m.dropped), i = 0; i < ks.length; ++i) {
                        w.uint32(/* id 8, wireType 2 =*/66).fork().uint32(/* id 1, wireType 2 =*/10).string(ks[i]).uint32(/* id 2, wireType 0 =*/16).uint64(m.dropped[ks[i]]).ldelim();
                    }
                }
                if (m.devicesOnline != null && $Object.hasOwnProperty.call(m, "devicesOnline") && m.devicesOnline !== 0)
                    w.uint32(/* id 9, wireType 0 =*/72).uint32(m.devicesOnline);
                if (m.devicesTotal != null && $Object.hasOwnProperty.call(m, "devicesTotal") && m.devicesTotal !== 0)
                    w.uint32(/* id 10, wireType 0 =*/80).uint32(m.devicesTotal);
                if (m.clockSynced != null && $Object.hasOwnProperty.call(m, "clockSynced") && m.clockSynced !== false)
                    w.uint32(/* id 11, wireType 0 =*/88).bool(m.clockSynced);
                if (m.configVersion != null && $Object.hasOwnProperty.call(m, "configVersion") && m.configVersion !== "")
                    w.uint32(/* id 12, wireType 2 =*/98).string(m.configVersion);
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion") && m.agentVersion !== "")
                    w.uint32(/* id 13, wireType 2 =*/106).string(m.agentVersion);
                if (m.readingsAccepted != null && $Object.hasOwnProperty.call(m, "readingsAccepted") && (typeof m.readingsAccepted === "object" ? m.readingsAccepted.low || m.readingsAccepted.high : m.readingsAccepted !== 0))
                    w.uint32(/* id 14, wireType 0 =*/112).uint64(m.readingsAccepted);
                if (m.batchesAcked != null && $Object.hasOwnProperty.call(m, "batchesAcked") && (typeof m.batchesAcked === "object" ? m.batchesAcked.low || m.batchesAcked.high : m.batchesAcked !== 0))
                    w.uint32(/* id 15, wireType 0 =*/120).uint64(m.batchesAcked);
                if (m.storeCapBytes != null && $Object.hasOwnProperty.call(m, "storeCapBytes") && (typeof m.storeCapBytes === "object" ? m.storeCapBytes.low || m.storeCapBytes.high : m.storeCapBytes !== 0))
                    w.uint32(/* id 16, wireType 0 =*/128).uint64(m.storeCapBytes);
                if (m.diskFreeBytes != null && $Object.hasOwnProperty.call(m, "diskFreeBytes") && (typeof m.diskFreeBytes === "object" ? m.diskFreeBytes.low || m.diskFreeBytes.high : m.diskFreeBytes !== 0))
                    w.uint32(/* id 17, wireType 0 =*/136).uint64(m.diskFreeBytes);
                if (m.diskTotalBytes != null && $Object.hasOwnProperty.call(m, "diskTotalBytes") && (typeof m.diskTotalBytes === "object" ? m.diskTotalBytes.low || m.diskTotalBytes.high : m.diskTotalBytes !== 0))
                    w.uint32(/* id 18, wireType 0 =*/144).uint64(m.diskTotalBytes);
                if (m.link != null && $Object.hasOwnProperty.call(m, "link"))
                    $root.yiwang.v1.LinkQuality.encode(m.link, w.uint32(/* id 19, wireType 2 =*/154).fork(), q + 1).ldelim();
                if (m.devicesByState != null && $Object.hasOwnProperty.call(m, "devicesByState")) {
                    for (var ks = $Object.keys(m.devicesByState), i = 0; i < ks.length; ++i) {
                        w.uint32(/* id 20, wireType 2 =*/162).fork().uint32(/* id 1, wireType 2 =*/10).string(ks[i]).uint32(/* id 2, wireType 0 =*/16).uint32(m.devicesByState[ks[i]]).ldelim();
                    }
                }
                if (m.camerasTotal != null && $Object.hasOwnProperty.call(m, "camerasTotal") && m.camerasTotal !== 0)
                    w.uint32(/* id 21, wireType 0 =*/168).uint32(m.camerasTotal);
                if (m.camerasOnline != null && $Object.hasOwnProperty.call(m, "camerasOnline") && m.camerasOnline !== 0)
                    w.uint32(/* id 22, wireType 0 =*/176).uint32(m.camerasOnline);
                if (m.camerasByState != null && $Object.hasOwnProperty.call(m, "camerasByState")) {
                    for (var ks = $Object.keys(m.camerasByState), i = 0; i < ks.length; ++i) {
                        w.uint32(/* id 23, wireType 2 =*/186).fork().uint32(/* id 1, wireType 2 =*/10).string(ks[i]).uint32(/* id 2, wireType 0 =*/16).uint32(m.camerasByState[ks[i]]).ldelim();
                    }
                }
                if (m.configError != null && $Object.hasOwnProperty.call(m, "configError") && m.configError !== "")
                    w.uint32(/* id 24, wireType 2 =*/194).string(m.configError);
                if (m.drainRate != null && $Object.hasOwnProperty.call(m, "drainRate") && !$Object.is(m.drainRate, 0))
                    w.uint32(/* id 30, wireType 1 =*/241).double(m.drainRate);
                if (m.bytesSentToday != null && $Object.hasOwnProperty.call(m, "bytesSentToday")) {
                    for (var ks = $Object.keys(m.bytesSentToday), i = 0; i < ks.length; ++i) {
                        w.uint32(/* id 31, wireType 2 =*/250).fork().uint32(/* id 1, wireType 2 =*/10).string(ks[i]).uint32(/* id 2, wireType 0 =*/16).uint64(m.bytesSentToday[ks[i]]).ldelim();
                    }
                }
                if (m.unackedBatches != null && $Object.hasOwnProperty.call(m, "unackedBatches") && (typeof m.unackedBatches === "object" ? m.unackedBatches.low || m.unackedBatches.high : m.unackedBatches !== 0))
                    w.uint32(/* id 32, wireType 0 =*/256).uint64(m.unackedBatches);
                if (m.pendingRows != null && $Object.hasOwnProperty.call(m, "pendingRows") && (typeof m.pendingRows === "object" ? m.pendingRows.low || m.pendingRows.high : m.pendingRows !== 0))
                    w.uint32(/* id 33, wireType 0 =*/264).uint64(m.pendingRows);
                if (m.clockSteps != null && $Object.hasOwnProperty.call(m, "clockSteps") && m.clockSteps !== 0)
                    w.uint32(/* id 34, wireType 0 =*/272).uint32(m.clockSteps);
                if (m.heldUnsynced != null && $Object.hasOwnProperty.call(m, "heldUnsynced") && (typeof m.heldUnsynced === "object" ? m.heldUnsynced.low || m.heldUnsynced.high : m.heldUnsynced !== 0))
                    w.uint32(/* id 35, wireType 0 =*/280).uint64(m.heldUnsynced);
                if (m.quarantinedReadings != null && $Object.hasOwnProperty.call(m, "quarantinedReadings") && (typeof m.quarantinedReadings === "object" ? m.quarantinedReadings.low || m.quarantinedReadings.high : m.quarantinedReadings !== 0))
                    w.uint32(/* id 40, wireType 0 =*/320).uint64(m.quarantinedReadings);
                if (m.deadLetterBatches != null && $Object.hasOwnProperty.call(m, "deadLetterBatches") && (typeof m.deadLetterBatches === "object" ? m.deadLetterBatches.low || m.deadLetterBatches.high : m.deadLetterBatches !== 0))
                    w.uint32(/* id 41, wireType 0 =*/328).uint64(m.deadLetterBatches);
                if (m.quarantinedByReason != null && $Object.hasOwnProperty.call(m, "quarantinedByReason")) {
                    for (var ks = $Object.keys(m.quarantinedByReason), i = 0; i < ks.length; ++i) {
                        w.uint32(/* id 42, wireType 2 =*/338).fork().uint32(/* id 1, wireType 2 =*/10).string(ks[i]).uint32(/* id 2, wireType 0 =*/16).uint64(m.quarantinedByReason[ks[i]]).ldelim();
                    }
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified Health message, length delimited. Does not implicitly {@link yiwang.v1.Health.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.Health
             * @static
             * @param {yiwang.v1.Health.$Properties} message Health message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Health.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Health message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.Health
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.Health & yiwang.v1.Health.$Shape} Health
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Health.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, k, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.Health();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.gatewayId = v;
                            else
                                delete m.gatewayId;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.tsMs = v;
                            else
                                delete m.tsMs;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.uptimeS = v;
                            else
                                delete m.uptimeS;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.rssBytes = v;
                            else
                                delete m.rssBytes;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.storeRows = v;
                            else
                                delete m.storeRows;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.storeBytes = v;
                            else
                                delete m.storeBytes;
                            continue;
                        }
                    case 7: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.oldestAgeMs = v;
                            else
                                delete m.oldestAgeMs;
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            if (m.dropped === $util.emptyObject)
                                m.dropped = {};
                            var c2 = r.size() + r.pos;
                            if (c2 > r.len)
                                throw $RangeError("index out of range");
                            r.len = c2;
                            k = "";
                            v = $util.Long ? $util.Long.fromNumber(0, true) : 0;
                            while (r.pos < c2) {
                                var t2 = r.tag();
                                u = t2 & 7;
                                switch (t2 >>>= 3) {
                                case 1:
                                    if (u !== 2)
                                        break;
                                    k = r.stringVerify();
                                    continue;
                                case 2:
                                    if (u !== 0)
                                        break;
                                    v = r.uint64();
                                    continue;
                                }
                                r.skipType(u, q, t2);
                            }
                            if (r.pos !== c2)
                                throw $RangeError("index out of range");
                            r.len = c;
                            if (k === "__proto__")
                                $util.makeProp(m.dropped, k);
                            m.dropped[k] = v;
                            continue;
                        }
                    case 9: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.devicesOnline = v;
                            else
                                delete m.devicesOnline;
                            continue;
                        }
                    case 10: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.devicesTotal = v;
                            else
                                delete m.devicesTotal;
                            continue;
                        }
                    case 11: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.clockSynced = v;
                            else
                                delete m.clockSynced;
                            continue;
                        }
                    case 12: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.configVersion = v;
                            else
                                delete m.configVersion;
                            continue;
                        }
                    case 13: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.agentVersion = v;
                            else
                                delete m.agentVersion;
                            continue;
                        }
                    case 14: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.readingsAccepted = v;
                            else
                                delete m.readingsAccepted;
                            continue;
                        }
                    case 15: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.batchesAcked = v;
                            else
                                delete m.batchesAcked;
                            continue;
                        }
                    case 16: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.storeCapBytes = v;
                            else
                                delete m.storeCapBytes;
                            continue;
                        }
                    case 17: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.diskFreeBytes = v;
                            else
                                delete m.diskFreeBytes;
                            continue;
                        }
                    case 18: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.diskTotalBytes = v;
                            else
                                delete m.diskTotalBytes;
                            continue;
                        }
                    case 19: {
                            if (u !== 2)
                                break;
                            m.link = $root.yiwang.v1.LinkQuality.decode(r, r.size(), $undefined, q + 1, m.link);
                            continue;
                        }
                    case 20: {
                            if (u !== 2)
                                break;
                            if (m.devicesByState === $util.emptyObject)
                                m.devicesByState = {};
                            var c2 = r.size() + r.pos;
                            if (c2 > r.len)
                                throw $RangeError("index out of range");
                            r.len = c2;
                            k = "";
                            v = 0;
                            while (r.pos < c2) {
                                var t2 = r.tag();
                                u = t2 & 7;
                                switch (t2 >>>= 3) {
                                case 1:
                                    if (u !== 2)
                                        break;
                                    k = r.stringVerify();
                                    continue;
                                case 2:
                                    if (u !== 0)
                                        break;
                                    v = r.uint32();
                                    continue;
                                }
                                r.skipType(u, q, t2);
                            }
                            if (r.pos !== c2)
                                throw $RangeError("index out of range");
                            r.len = c;
                            if (k === "__proto__")
                                $util.makeProp(m.devicesByState, k);
                            m.devicesByState[k] = v;
                            continue;
                        }
                    case 21: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.camerasTotal = v;
                            else
                                delete m.camerasTotal;
                            continue;
                        }
                    case 22: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.camerasOnline = v;
                            else
                                delete m.camerasOnline;
                            continue;
                        }
                    case 23: {
                            if (u !== 2)
                                break;
                            if (m.camerasByState === $util.emptyObject)
                                m.camerasByState = {};
                            var c2 = r.size() + r.pos;
                            if (c2 > r.len)
                                throw $RangeError("index out of range");
                            r.len = c2;
                            k = "";
                            v = 0;
                            while (r.pos < c2) {
                                var t2 = r.tag();
                                u = t2 & 7;
                                switch (t2 >>>= 3) {
                                case 1:
                                    if (u !== 2)
                                        break;
                                    k = r.stringVerify();
                                    continue;
                                case 2:
                                    if (u !== 0)
                                        break;
                                    v = r.uint32();
                                    continue;
                                }
                                r.skipType(u, q, t2);
                            }
                            if (r.pos !== c2)
                                throw $RangeError("index out of range");
                            r.len = c;
                            if (k === "__proto__")
                                $util.makeProp(m.camerasByState, k);
                            m.camerasByState[k] = v;
                            continue;
                        }
                    case 24: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.configError = v;
                            else
                                delete m.configError;
                            continue;
                        }
                    case 30: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.drainRate = v;
                            else
                                delete m.drainRate;
                            continue;
                        }
                    case 31: {
                            if (u !== 2)
                                break;
                            if (m.bytesSentToday === $util.emptyObject)
                                m.bytesSentToday = {};
                            var c2 = r.size() + r.pos;
                            if (c2 > r.len)
                                throw $RangeError("index out of range");
                            r.len = c2;
                            k = "";
                            v = $util.Long ? $util.Long.fromNumber(0, true) : 0;
                            while (r.pos < c2) {
                                var t2 = r.tag();
                                u = t2 & 7;
                                switch (t2 >>>= 3) {
                                case 1:
                                    if (u !== 2)
                                        break;
                                    k = r.stringVerify();
                                    continue;
                                case 2:
                                    if (u !== 0)
                                        break;
                                    v = r.uint64();
                                    continue;
                                }
                                r.skipType(u, q, t2);
                            }
                            if (r.pos !== c2)
                                throw $RangeError("index out of range");
                            r.len = c;
                            if (k === "__proto__")
                                $util.makeProp(m.bytesSentToday, k);
                            m.bytesSentToday[k] = v;
                            continue;
                        }
                    case 32: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.unackedBatches = v;
                            else
                                delete m.unackedBatches;
                            continue;
                        }
                    case 33: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.pendingRows = v;
                            else
                                delete m.pendingRows;
                            continue;
                        }
                    case 34: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.clockSteps = v;
                            else
                                delete m.clockSteps;
                            continue;
                        }
                    case 35: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.heldUnsynced = v;
                            else
                                delete m.heldUnsynced;
                            continue;
                        }
                    case 40: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.quarantinedReadings = v;
                            else
                                delete m.quarantinedReadings;
                            continue;
                        }
                    case 41: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.deadLetterBatches = v;
                            else
                                delete m.deadLetterBatches;
                            continue;
                        }
                    case 42: {
                            if (u !== 2)
                                break;
                            if (m.quarantinedByReason === $util.emptyObject)
                                m.quarantinedByReason = {};
                            var c2 = r.size() + r.pos;
                            if (c2 > r.len)
                                throw $RangeError("index out of range");
                            r.len = c2;
                            k = "";
                            v = $util.Long ? $util.Long.fromNumber(0, true) : 0;
                            while (r.pos < c2) {
                                var t2 = r.tag();
                                u = t2 & 7;
                                switch (t2 >>>= 3) {
                                case 1:
                                    if (u !== 2)
                                        break;
                                    k = r.stringVerify();
                                    continue;
                                case 2:
                                    if (u !== 0)
                                        break;
                                    v = r.uint64();
                                    continue;
                                }
                                r.skipType(u, q, t2);
                            }
                            if (r.pos !== c2)
                                throw $RangeError("index out of range");
                            r.len = c;
                            if (k === "__proto__")
                                $util.makeProp(m.quarantinedByReason, k);
                            m.quarantinedByReason[k] = v;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a Health message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.Health
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.Health & yiwang.v1.Health.$Shape} Health
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Health.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Health message.
             * @function verify
             * @memberof yiwang.v1.Health
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Health.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    if (!$util.isString(m.gatewayId))
                        return "gatewayId: string expected";
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    if (!$util.isInteger(m.tsMs) && !(m.tsMs && $util.isInteger(m.tsMs.low) && $util.isInteger(m.tsMs.high)))
                        return "tsMs: integer|Long expected";
                }
                if (m.uptimeS != null && $Object.hasOwnProperty.call(m, "uptimeS")) {
                    if (!$util.isInteger(m.uptimeS) && !(m.uptimeS && $util.isInteger(m.uptimeS.low) && $util.isInteger(m.uptimeS.high)))
                        return "uptimeS: integer|Long expected";
                }
                if (m.rssBytes != null && $Object.hasOwnProperty.call(m, "rssBytes")) {
                    if (!$util.isInteger(m.rssBytes) && !(m.rssBytes && $util.isInteger(m.rssBytes.low) && $util.isInteger(m.rssBytes.high)))
                        return "rssBytes: integer|Long expected";
                }
                if (m.storeRows != null && $Object.hasOwnProperty.call(m, "storeRows")) {
                    if (!$util.isInteger(m.storeRows) && !(m.storeRows && $util.isInteger(m.storeRows.low) && $util.isInteger(m.storeRows.high)))
                        return "storeRows: integer|Long expected";
                }
                if (m.storeBytes != null && $Object.hasOwnProperty.call(m, "storeBytes")) {
                    if (!$util.isInteger(m.storeBytes) && !(m.storeBytes && $util.isInteger(m.storeBytes.low) && $util.isInteger(m.storeBytes.high)))
                        return "storeBytes: integer|Long expected";
                }
                if (m.oldestAgeMs != null && $Object.hasOwnProperty.call(m, "oldestAgeMs")) {
                    if (!$util.isInteger(m.oldestAgeMs) && !(m.oldestAgeMs && $util.isInteger(m.oldestAgeMs.low) && $util.isInteger(m.oldestAgeMs.high)))
                        return "oldestAgeMs: integer|Long expected";
                }
                if (m.dropped != null && $Object.hasOwnProperty.call(m, "dropped")) {
                    if (!$util.isObject(m.dropped))
                        return "dropped: object expected";
                    var k = $Object.keys(m.dropped);
                    for (var i = 0; i < k.length; ++i) {
                        if (!$util.isInteger(m.dropped[k[i]]) && !(m.dropped[k[i]] && $util.isInteger(m.dropped[k[i]].low) && $util.isInteger(m.dropped[k[i]].high)))
                            return "dropped: integer|Long{k:string} expected";
                    }
                }
                if (m.devicesOnline != null && $Object.hasOwnProperty.call(m, "devicesOnline")) {
                    if (!$util.isInteger(m.devicesOnline))
                        return "devicesOnline: integer expected";
                }
                if (m.devicesTotal != null && $Object.hasOwnProperty.call(m, "devicesTotal")) {
                    if (!$util.isInteger(m.devicesTotal))
                        return "devicesTotal: integer expected";
                }
                if (m.clockSynced != null && $Object.hasOwnProperty.call(m, "clockSynced")) {
                    if (typeof m.clockSynced !== "boolean")
                        return "clockSynced: boolean expected";
                }
                if (m.configVersion != null && $Object.hasOwnProperty.call(m, "configVersion")) {
                    if (!$util.isString(m.configVersion))
                        return "configVersion: string expected";
                }
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion")) {
                    if (!$util.isString(m.agentVersion))
                        return "agentVersion: string expected";
                }
                if (m.readingsAccepted != null && $Object.hasOwnProperty.call(m, "readingsAccepted")) {
                    if (!$util.isInteger(m.readingsAccepted) && !(m.readingsAccepted && $util.isInteger(m.readingsAccepted.low) && $util.isInteger(m.readingsAccepted.high)))
                        return "readingsAccepted: integer|Long expected";
                }
                if (m.batchesAcked != null && $Object.hasOwnProperty.call(m, "batchesAcked")) {
                    if (!$util.isInteger(m.batchesAcked) && !(m.batchesAcked && $util.isInteger(m.batchesAcked.low) && $util.isInteger(m.batchesAcked.high)))
                        return "batchesAcked: integer|Long expected";
                }
                if (m.storeCapBytes != null && $Object.hasOwnProperty.call(m, "storeCapBytes")) {
                    if (!$util.isInteger(m.storeCapBytes) && !(m.storeCapBytes && $util.isInteger(m.storeCapBytes.low) && $util.isInteger(m.storeCapBytes.high)))
                        return "storeCapBytes: integer|Long expected";
                }
                if (m.diskFreeBytes != null && $Object.hasOwnProperty.call(m, "diskFreeBytes")) {
                    if (!$util.isInteger(m.diskFreeBytes) && !(m.diskFreeBytes && $util.isInteger(m.diskFreeBytes.low) && $util.isInteger(m.diskFreeBytes.high)))
                        return "diskFreeBytes: integer|Long expected";
                }
                if (m.diskTotalBytes != null && $Object.hasOwnProperty.call(m, "diskTotalBytes")) {
                    if (!$util.isInteger(m.diskTotalBytes) && !(m.diskTotalBytes && $util.isInteger(m.diskTotalBytes.low) && $util.isInteger(m.diskTotalBytes.high)))
                        return "diskTotalBytes: integer|Long expected";
                }
                if (m.link != null && $Object.hasOwnProperty.call(m, "link")) {
                    {
                        var e = $root.yiwang.v1.LinkQuality.verify(m.link, q + 1);
                        if (e)
                            return "link." + e;
                    }
                }
                if (m.devicesByState != null && $Object.hasOwnProperty.call(m, "devicesByState")) {
                    if (!$util.isObject(m.devicesByState))
                        return "devicesByState: object expected";
                    var k = $Object.keys(m.devicesByState);
                    for (var i = 0; i < k.length; ++i) {
                        if (!$util.isInteger(m.devicesByState[k[i]]))
                            return "devicesByState: integer{k:string} expected";
                    }
                }
                if (m.camerasTotal != null && $Object.hasOwnProperty.call(m, "camerasTotal")) {
                    if (!$util.isInteger(m.camerasTotal))
                        return "camerasTotal: integer expected";
                }
                if (m.camerasOnline != null && $Object.hasOwnProperty.call(m, "camerasOnline")) {
                    if (!$util.isInteger(m.camerasOnline))
                        return "camerasOnline: integer expected";
                }
                if (m.camerasByState != null && $Object.hasOwnProperty.call(m, "camerasByState")) {
                    if (!$util.isObject(m.camerasByState))
                        return "camerasByState: object expected";
                    var k = $Object.keys(m.camerasByState);
                    for (var i = 0; i < k.length; ++i) {
                        if (!$util.isInteger(m.camerasByState[k[i]]))
                            return "camerasByState: integer{k:string} expected";
                    }
                }
                if (m.configError != null && $Object.hasOwnProperty.call(m, "configError")) {
                    if (!$util.isString(m.configError))
                        return "configError: string expected";
                }
                if (m.drainRate != null && $Object.hasOwnProperty.call(m, "drainRate")) {
                    if (typeof m.drainRate !== "number")
                        return "drainRate: number expected";
                }
                if (m.bytesSentToday != null && $Object.hasOwnProperty.call(m, "bytesSentToday")) {
                    if (!$util.isObject(m.bytesSentToday))
                        return "bytesSentToday: object expected";
                    var k = $Object.keys(m.bytesSentToday);
                    for (var i = 0; i < k.length; ++i) {
                        if (!$util.isInteger(m.bytesSentToday[k[i]]) && !(m.bytesSentToday[k[i]] && $util.isInteger(m.bytesSentToday[k[i]].low) && $util.isInteger(m.bytesSentToday[k[i]].high)))
                            return "bytesSentToday: integer|Long{k:string} expected";
                    }
                }
                if (m.unackedBatches != null && $Object.hasOwnProperty.call(m, "unackedBatches")) {
                    if (!$util.isInteger(m.unackedBatches) && !(m.unackedBatches && $util.isInteger(m.unackedBatches.low) && $util.isInteger(m.unackedBatches.high)))
                        return "unackedBatches: integer|Long expected";
                }
                if (m.pendingRows != null && $Object.hasOwnProperty.call(m, "pendingRows")) {
                    if (!$util.isInteger(m.pendingRows) && !(m.pendingRows && $util.isInteger(m.pendingRows.low) && $util.isInteger(m.pendingRows.high)))
                        return "pendingRows: integer|Long expected";
                }
                if (m.clockSteps != null && $Object.hasOwnProperty.call(m, "clockSteps")) {
                    if (!$util.isInteger(m.clockSteps))
                        return "clockSteps: integer expected";
                }
                if (m.heldUnsynced != null && $Object.hasOwnProperty.call(m, "heldUnsynced")) {
                    if (!$util.isInteger(m.heldUnsynced) && !(m.heldUnsynced && $util.isInteger(m.heldUnsynced.low) && $util.isInteger(m.heldUnsynced.high)))
                        return "heldUnsynced: integer|Long expected";
                }
                if (m.quarantinedReadings != null && $Object.hasOwnProperty.call(m, "quarantinedReadings")) {
                    if (!$util.isInteger(m.quarantinedReadings) && !(m.quarantinedReadings && $util.isInteger(m.quarantinedReadings.low) && $util.isInteger(m.quarantinedReadings.high)))
                        return "quarantinedReadings: integer|Long expected";
                }
                if (m.deadLetterBatches != null && $Object.hasOwnProperty.call(m, "deadLetterBatches")) {
                    if (!$util.isInteger(m.deadLetterBatches) && !(m.deadLetterBatches && $util.isInteger(m.deadLetterBatches.low) && $util.isInteger(m.deadLetterBatches.high)))
                        return "deadLetterBatches: integer|Long expected";
                }
                if (m.quarantinedByReason != null && $Object.hasOwnProperty.call(m, "quarantinedByReason")) {
                    if (!$util.isObject(m.quarantinedByReason))
                        return "quarantinedByReason: object expected";
                    var k = $Object.keys(m.quarantinedByReason);
                    for (var i = 0; i < k.length; ++i) {
                        if (!$util.isInteger(m.quarantinedByReason[k[i]]) && !(m.quarantinedByReason[k[i]] && $util.isInteger(m.quarantinedByReason[k[i]].low) && $util.isInteger(m.quarantinedByReason[k[i]].high)))
                            return "quarantinedByReason: integer|Long{k:string} expected";
                    }
                }
                return null;
            };

            /**
             * Creates a Health message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.Health
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.Health} Health
             */
            Health.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.Health)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.Health: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.Health();
                if (d.gatewayId != null) {
                    if (typeof d.gatewayId !== "string" || d.gatewayId.length) {
                        m.gatewayId = $String(d.gatewayId);
                    }
                }
                if (d.tsMs != null) {
                    if (typeof d.tsMs === "object" ? d.tsMs.low || d.tsMs.high : $Number(d.tsMs) !== 0) {
                        if ($util.Long)
                            m.tsMs = $util.Long.fromValue(d.tsMs, false);
                        else if (typeof d.tsMs === "string")
                            m.tsMs = $parseInt(d.tsMs, 10);
                        else if (typeof d.tsMs === "number")
                            m.tsMs = d.tsMs;
                        else if (typeof d.tsMs === "object")
                            m.tsMs = new $util.LongBits(d.tsMs.low >>> 0, d.tsMs.high >>> 0).toNumber();
                    }
                }
                if (d.uptimeS != null) {
                    if (typeof d.uptimeS === "object" ? d.uptimeS.low || d.uptimeS.high : $Number(d.uptimeS) !== 0) {
                        if ($util.Long)
                            m.uptimeS = $util.Long.fromValue(d.uptimeS, true);
                        else if (typeof d.uptimeS === "string")
                            m.uptimeS = $parseInt(d.uptimeS, 10);
                        else if (typeof d.uptimeS === "number")
                            m.uptimeS = d.uptimeS;
                        else if (typeof d.uptimeS === "object")
                            m.uptimeS = new $util.LongBits(d.uptimeS.low >>> 0, d.uptimeS.high >>> 0).toNumber(true);
                    }
                }
                if (d.rssBytes != null) {
                    if (typeof d.rssBytes === "object" ? d.rssBytes.low || d.rssBytes.high : $Number(d.rssBytes) !== 0) {
                        if ($util.Long)
                            m.rssBytes = $util.Long.fromValue(d.rssBytes, true);
                        else if (typeof d.rssBytes === "string")
                            m.rssBytes = $parseInt(d.rssBytes, 10);
                        else if (typeof d.rssBytes === "number")
                            m.rssBytes = d.rssBytes;
                        else if (typeof d.rssBytes === "object")
                            m.rssBytes = new $util.LongBits(d.rssBytes.low >>> 0, d.rssBytes.high >>> 0).toNumber(true);
                    }
                }
                if (d.storeRows != null) {
                    if (typeof d.storeRows === "object" ? d.storeRows.low || d.storeRows.high : $Number(d.storeRows) !== 0) {
                        if ($util.Long)
                            m.storeRows = $util.Long.fromValue(d.storeRows, true);
                        else if (typeof d.storeRows === "string")
                            m.storeRows = $parseInt(d.storeRows, 10);
                        else if (typeof d.storeRows === "number")
                            m.storeRows = d.storeRows;
                        else if (typeof d.storeRows === "object")
                            m.storeRows = new $util.LongBits(d.storeRows.low >>> 0, d.storeRows.high >>> 0).toNumber(true);
                    }
                }
                if (d.storeBytes != null) {
                    if (typeof d.storeBytes === "object" ? d.storeBytes.low || d.storeBytes.high : $Number(d.storeBytes) !== 0) {
                        if ($util.Long)
                            m.storeBytes = $util.Long.fromValue(d.storeBytes, true);
                        else if (typeof d.storeBytes === "string")
                            m.storeBytes = $parseInt(d.storeBytes, 10);
                        else if (typeof d.storeBytes === "number")
                            m.storeBytes = d.storeBytes;
                        else if (typeof d.storeBytes === "object")
                            m.storeBytes = new $util.LongBits(d.storeBytes.low >>> 0, d.storeBytes.high >>> 0).toNumber(true);
                    }
                }
                if (d.oldestAgeMs != null) {
                    if (typeof d.oldestAgeMs === "object" ? d.oldestAgeMs.low || d.oldestAgeMs.high : $Number(d.oldestAgeMs) !== 0) {
                        if ($util.Long)
                            m.oldestAgeMs = $util.Long.fromValue(d.oldestAgeMs, true);
                        else if (typeof d.oldestAgeMs === "string")
                            m.oldestAgeMs = $parseInt(d.oldestAgeMs, 10);
                        else if (typeof d.oldestAgeMs === "number")
                            m.oldestAgeMs = d.oldestAgeMs;
                        else if (typeof d.oldestAgeMs === "object")
                            m.oldestAgeMs = new $util.LongBits(d.oldestAgeMs.low >>> 0, d.oldestAgeMs.high >>> 0).toNumber(true);
                    }
                }
                if (d.dropped) {
                    if (!$util.isObject(d.dropped))
                        throw $TypeError(".yiwang.v1.Health.dropped: object expected");
                    m.dropped = {};
                    for (var ks = $Object.keys(d.dropped), i = 0; i < ks.length; ++i) {
                        if (ks[i] === "__proto__")
                            $util.makeProp(m.dropped, ks[i]);
                        if ($util.Long)
                            m.dropped[ks[i]] = $util.Long.fromValue(d.dropped[ks[i]], true);
                        else if (typeof d.dropped[ks[i]] === "string")
                            m.dropped[ks[i]] = $parseInt(d.dropped[ks[i]], 10);
                        else if (typeof d.dropped[ks[i]] === "number")
                            m.dropped[ks[i]] = d.dropped[ks[i]];
                        else if (typeof d.dropped[ks[i]] === "object")
                            m.dropped[ks[i]] = new $util.LongBits(d.dropped[ks[i]].low >>> 0, d.dropped[ks[i]].high >>> 0).toNumber(true);
                    }
                }
                if (d.devicesOnline != null) {
                    if ($Number(d.devicesOnline) !== 0) {
                        m.devicesOnline = d.devicesOnline >>> 0;
                    }
                }
                if (d.devicesTotal != null) {
                    if ($Number(d.devicesTotal) !== 0) {
                        m.devicesTotal = d.devicesTotal >>> 0;
                    }
                }
                if (d.clockSynced != null) {
                    if (d.clockSynced) {
                        m.clockSynced = $Boolean(d.clockSynced);
                    }
                }
                if (d.configVersion != null) {
                    if (typeof d.configVersion !== "string" || d.configVersion.length) {
                        m.configVersion = $String(d.configVersion);
                    }
                }
                if (d.agentVersion != null) {
                    if (typeof d.agentVersion !== "string" || d.agentVersion.length) {
                        m.agentVersion = $String(d.agentVersion);
                    }
                }
                if (d.readingsAccepted != null) {
                    if (typeof d.readingsAccepted === "object" ? d.readingsAccepted.low || d.readingsAccepted.high : $Number(d.readingsAccepted) !== 0) {
                        if ($util.Long)
                            m.readingsAccepted = $util.Long.fromValue(d.readingsAccepted, true);
                        else if (typeof d.readingsAccepted === "string")
                            m.readingsAccepted = $parseInt(d.readingsAccepted, 10);
                        else if (typeof d.readingsAccepted === "number")
                            m.readingsAccepted = d.readingsAccepted;
                        else if (typeof d.readingsAccepted === "object")
                            m.readingsAccepted = new $util.LongBits(d.readingsAccepted.low >>> 0, d.readingsAccepted.high >>> 0).toNumber(true);
                    }
                }
                if (d.batchesAcked != null) {
                    if (typeof d.batchesAcked === "object" ? d.batchesAcked.low || d.batchesAcked.high : $Number(d.batchesAcked) !== 0) {
                        if ($util.Long)
                            m.batchesAcked = $util.Long.fromValue(d.batchesAcked, true);
                        else if (typeof d.batchesAcked === "string")
                            m.batchesAcked = $parseInt(d.batchesAcked, 10);
                        else if (typeof d.batchesAcked === "number")
                            m.batchesAcked = d.batchesAcked;
                        else if (typeof d.batchesAcked === "object")
                            m.batchesAcked = new $util.LongBits(d.batchesAcked.low >>> 0, d.batchesAcked.high >>> 0).toNumber(true);
                    }
                }
                if (d.storeCapBytes != null) {
                    if (typeof d.storeCapBytes === "object" ? d.storeCapBytes.low || d.storeCapBytes.high : $Number(d.storeCapBytes) !== 0) {
                        if ($util.Long)
                            m.storeCapBytes = $util.Long.fromValue(d.storeCapBytes, true);
                        else if (typeof d.storeCapBytes === "string")
                            m.storeCapBytes = $parseInt(d.storeCapBytes, 10);
                        else if (typeof d.storeCapBytes === "number")
                            m.storeCapBytes = d.storeCapBytes;
                        else if (typeof d.storeCapBytes === "object")
                            m.storeCapBytes = new $util.LongBits(d.storeCapBytes.low >>> 0, d.storeCapBytes.high >>> 0).toNumber(true);
                    }
                }
                if (d.diskFreeBytes != null) {
                    if (typeof d.diskFreeBytes === "object" ? d.diskFreeBytes.low || d.diskFreeBytes.high : $Number(d.diskFreeBytes) !== 0) {
                        if ($util.Long)
                            m.diskFreeBytes = $util.Long.fromValue(d.diskFreeBytes, true);
                        else if (typeof d.diskFreeBytes === "string")
                            m.diskFreeBytes = $parseInt(d.diskFreeBytes, 10);
                        else if (typeof d.diskFreeBytes === "number")
                            m.diskFreeBytes = d.diskFreeBytes;
                        else if (typeof d.diskFreeBytes === "object")
                            m.diskFreeBytes = new $util.LongBits(d.diskFreeBytes.low >>> 0, d.diskFreeBytes.high >>> 0).toNumber(true);
                    }
                }
                if (d.diskTotalBytes != null) {
                    if (typeof d.diskTotalBytes === "object" ? d.diskTotalBytes.low || d.diskTotalBytes.high : $Number(d.diskTotalBytes) !== 0) {
                        if ($util.Long)
                            m.diskTotalBytes = $util.Long.fromValue(d.diskTotalBytes, true);
                        else if (typeof d.diskTotalBytes === "string")
                            m.diskTotalBytes = $parseInt(d.diskTotalBytes, 10);
                        else if (typeof d.diskTotalBytes === "number")
                            m.diskTotalBytes = d.diskTotalBytes;
                        else if (typeof d.diskTotalBytes === "object")
                            m.diskTotalBytes = new $util.LongBits(d.diskTotalBytes.low >>> 0, d.diskTotalBytes.high >>> 0).toNumber(true);
                    }
                }
                if (d.link != null) {
                    if (!$util.isObject(d.link))
                        throw $TypeError(".yiwang.v1.Health.link: object expected");
                    m.link = $root.yiwang.v1.LinkQuality.fromObject(d.link, q + 1);
                }
                if (d.devicesByState) {
                    if (!$util.isObject(d.devicesByState))
                        throw $TypeError(".yiwang.v1.Health.devicesByState: object expected");
                    m.devicesByState = {};
                    for (var ks = $Object.keys(d.devicesByState), i = 0; i < ks.length; ++i) {
                        if (ks[i] === "__proto__")
                            $util.makeProp(m.devicesByState, ks[i]);
                        m.devicesByState[ks[i]] = d.devicesByState[ks[i]] >>> 0;
                    }
                }
                if (d.camerasTotal != null) {
                    if ($Number(d.camerasTotal) !== 0) {
                        m.camerasTotal = d.camerasTotal >>> 0;
                    }
                }
                if (d.camerasOnline != null) {
                    if ($Number(d.camerasOnline) !== 0) {
                        m.camerasOnline = d.camerasOnline >>> 0;
                    }
                }
                if (d.camerasByState) {
                    if (!$util.isObject(d.camerasByState))
                        throw $TypeError(".yiwang.v1.Health.camerasByState: object expected");
                    m.camerasByState = {};
                    for (var ks = $Object.keys(d.camerasByState), i = 0; i < ks.length; ++i) {
                        if (ks[i] === "__proto__")
                            $util.makeProp(m.camerasByState, ks[i]);
                        m.camerasByState[ks[i]] = d.camerasByState[ks[i]] >>> 0;
                    }
                }
                if (d.configError != null) {
                    if (typeof d.configError !== "string" || d.configError.length) {
                        m.configError = $String(d.configError);
                    }
                }
                if (d.drainRate != null) {
                    if (!$Object.is($Number(d.drainRate), 0)) {
                        m.drainRate = $Number(d.drainRate);
                    }
                }
                if (d.bytesSentToday) {
                    if (!$util.isObject(d.bytesSentToday))
                        throw $TypeError(".yiwang.v1.Health.bytesSentToday: object expected");
                    m.bytesSentToday = {};
                    for (var ks = $Object.keys(d.bytesSentToday), i = 0; i < ks.length; ++i) {
                        if (ks[i] === "__proto__")
                            $util.makeProp(m.bytesSentToday, ks[i]);
                        if ($util.Long)
                            m.bytesSentToday[ks[i]] = $util.Long.fromValue(d.bytesSentToday[ks[i]], true);
                        else if (typeof d.bytesSentToday[ks[i]] === "string")
                            m.bytesSentToday[ks[i]] = $parseInt(d.bytesSentToday[ks[i]], 10);
                        else if (typeof d.bytesSentToday[ks[i]] === "number")
                            m.bytesSentToday[ks[i]] = d.bytesSentToday[ks[i]];
                        else if (typeof d.bytesSentToday[ks[i]] === "object")
                            m.bytesSentToday[ks[i]] = new $util.LongBits(d.bytesSentToday[ks[i]].low >>> 0, d.bytesSentToday[ks[i]].high >>> 0).toNumber(true);
                    }
                }
                if (d.unackedBatches != null) {
                    if (typeof d.unackedBatches === "object" ? d.unackedBatches.low || d.unackedBatches.high : $Number(d.unackedBatches) !== 0) {
                        if ($util.Long)
                            m.unackedBatches = $util.Long.fromValue(d.unackedBatches, true);
                        else if (typeof d.unackedBatches === "string")
                            m.unackedBatches = $parseInt(d.unackedBatches, 10);
                        else if (typeof d.unackedBatches === "number")
                            m.unackedBatches = d.unackedBatches;
                        else if (typeof d.unackedBatches === "object")
                            m.unackedBatches = new $util.LongBits(d.unackedBatches.low >>> 0, d.unackedBatches.high >>> 0).toNumber(true);
                    }
                }
                if (d.pendingRows != null) {
                    if (typeof d.pendingRows === "object" ? d.pendingRows.low || d.pendingRows.high : $Number(d.pendingRows) !== 0) {
                        if ($util.Long)
                            m.pendingRows = $util.Long.fromValue(d.pendingRows, true);
                        else if (typeof d.pendingRows === "string")
                            m.pendingRows = $parseInt(d.pendingRows, 10);
                        else if (typeof d.pendingRows === "number")
                            m.pendingRows = d.pendingRows;
                        else if (typeof d.pendingRows === "object")
                            m.pendingRows = new $util.LongBits(d.pendingRows.low >>> 0, d.pendingRows.high >>> 0).toNumber(true);
                    }
                }
                if (d.clockSteps != null) {
                    if ($Number(d.clockSteps) !== 0) {
                        m.clockSteps = d.clockSteps >>> 0;
                    }
                }
                if (d.heldUnsynced != null) {
                    if (typeof d.heldUnsynced === "object" ? d.heldUnsynced.low || d.heldUnsynced.high : $Number(d.heldUnsynced) !== 0) {
                        if ($util.Long)
                            m.heldUnsynced = $util.Long.fromValue(d.heldUnsynced, true);
                        else if (typeof d.heldUnsynced === "string")
                            m.heldUnsynced = $parseInt(d.heldUnsynced, 10);
                        else if (typeof d.heldUnsynced === "number")
                            m.heldUnsynced = d.heldUnsynced;
                        else if (typeof d.heldUnsynced === "object")
                            m.heldUnsynced = new $util.LongBits(d.heldUnsynced.low >>> 0, d.heldUnsynced.high >>> 0).toNumber(true);
                    }
                }
                if (d.quarantinedReadings != null) {
                    if (typeof d.quarantinedReadings === "object" ? d.quarantinedReadings.low || d.quarantinedReadings.high : $Number(d.quarantinedReadings) !== 0) {
                        if ($util.Long)
                            m.quarantinedReadings = $util.Long.fromValue(d.quarantinedReadings, true);
                        else if (typeof d.quarantinedReadings === "string")
                            m.quarantinedReadings = $parseInt(d.quarantinedReadings, 10);
                        else if (typeof d.quarantinedReadings === "number")
                            m.quarantinedReadings = d.quarantinedReadings;
                        else if (typeof d.quarantinedReadings === "object")
                            m.quarantinedReadings = new $util.LongBits(d.quarantinedReadings.low >>> 0, d.quarantinedReadings.high >>> 0).toNumber(true);
                    }
                }
                if (d.deadLetterBatches != null) {
                    if (typeof d.deadLetterBatches === "object" ? d.deadLetterBatches.low || d.deadLetterBatches.high : $Number(d.deadLetterBatches) !== 0) {
                        if ($util.Long)
                            m.deadLetterBatches = $util.Long.fromValue(d.deadLetterBatches, true);
                        else if (typeof d.deadLetterBatches === "string")
                            m.deadLetterBatches = $parseInt(d.deadLetterBatches, 10);
                        else if (typeof d.deadLetterBatches === "number")
                            m.deadLetterBatches = d.deadLetterBatches;
                        else if (typeof d.deadLetterBatches === "object")
                            m.deadLetterBatches = new $util.LongBits(d.deadLetterBatches.low >>> 0, d.deadLetterBatches.high >>> 0).toNumber(true);
                    }
                }
                if (d.quarantinedByReason) {
                    if (!$util.isObject(d.quarantinedByReason))
                        throw $TypeError(".yiwang.v1.Health.quarantinedByReason: object expected");
                    m.quarantinedByReason = {};
                    for (var ks = $Object.keys(d.quarantinedByReason), i = 0; i < ks.length; ++i) {
                        if (ks[i] === "__proto__")
                            $util.makeProp(m.quarantinedByReason, ks[i]);
                        if ($util.Long)
                            m.quarantinedByReason[ks[i]] = $util.Long.fromValue(d.quarantinedByReason[ks[i]], true);
                        else if (typeof d.quarantinedByReason[ks[i]] === "string")
                            m.quarantinedByReason[ks[i]] = $parseInt(d.quarantinedByReason[ks[i]], 10);
                        else if (typeof d.quarantinedByReason[ks[i]] === "number")
                            m.quarantinedByReason[ks[i]] = d.quarantinedByReason[ks[i]];
                        else if (typeof d.quarantinedByReason[ks[i]] === "object")
                            m.quarantinedByReason[ks[i]] = new $util.LongBits(d.quarantinedByReason[ks[i]].low >>> 0, d.quarantinedByReason[ks[i]].high >>> 0).toNumber(true);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a Health message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.Health
             * @static
             * @param {yiwang.v1.Health} m Health
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Health.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.objects || o.defaults) {
                    d.dropped = {};
                    d.devicesByState = {};
                    d.camerasByState = {};
                    d.bytesSentToday = {};
                    d.quarantinedByReason = {};
                }
                if (o.defaults) {
                    d.gatewayId = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, false);
                        d.tsMs = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.tsMs = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.uptimeS = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.uptimeS = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.rssBytes = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.rssBytes = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.storeRows = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.storeRows = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.storeBytes = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.storeBytes = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.oldestAgeMs = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.oldestAgeMs = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.devicesOnline = 0;
                    d.devicesTotal = 0;
                    d.clockSynced = false;
                    d.configVersion = "";
                    d.agentVersion = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.readingsAccepted = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.readingsAccepted = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.batchesAcked = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.batchesAcked = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.storeCapBytes = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.storeCapBytes = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.diskFreeBytes = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.diskFreeBytes = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.diskTotalBytes = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.diskTotalBytes = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.link = null;
                    d.camerasTotal = 0;
                    d.camerasOnline = 0;
                    d.configError = "";
                    d.drainRate = 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.unackedBatches = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.unackedBatches = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.pendingRows = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.pendingRows = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.clockSteps = 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.heldUnsynced = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.heldUnsynced = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.quarantinedReadings = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.quarantinedReadings = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.deadLetterBatches = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.deadLetterBatches = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    d.gatewayId = m.gatewayId;
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.tsMs = typeof m.tsMs === "number" ? $BigInt(m.tsMs) : $util.Long.fromBits(m.tsMs.low >>> 0, m.tsMs.high >>> 0, false).toBigInt();
                    else if (typeof m.tsMs === "number")
                        d.tsMs = o.longs === $String ? $String(m.tsMs) : m.tsMs;
                    else
                        d.tsMs = o.longs === $String ? $util.Long.prototype.toString.call(m.tsMs) : o.longs === $Number ? new $util.LongBits(m.tsMs.low >>> 0, m.tsMs.high >>> 0).toNumber() : m.tsMs;
                }
                if (m.uptimeS != null && $Object.hasOwnProperty.call(m, "uptimeS")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.uptimeS = typeof m.uptimeS === "number" ? $BigInt(m.uptimeS) : $util.Long.fromBits(m.uptimeS.low >>> 0, m.uptimeS.high >>> 0, true).toBigInt();
                    else if (typeof m.uptimeS === "number")
                        d.uptimeS = o.longs === $String ? $String(m.uptimeS) : m.uptimeS;
                    else
                        d.uptimeS = o.longs === $String ? $util.Long.prototype.toString.call(m.uptimeS) : o.longs === $Number ? new $util.LongBits(m.uptimeS.low >>> 0, m.uptimeS.high >>> 0).toNumber(true) : m.uptimeS;
                }
                if (m.rssBytes != null && $Object.hasOwnProperty.call(m, "rssBytes")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.rssBytes = typeof m.rssBytes === "number" ? $BigInt(m.rssBytes) : $util.Long.fromBits(m.rssBytes.low >>> 0, m.rssBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.rssBytes === "number")
                        d.rssBytes = o.longs === $String ? $String(m.rssBytes) : m.rssBytes;
                    else
                        d.rssBytes = o.longs === $String ? $util.Long.prototype.toString.call(m.rssBytes) : o.longs === $Number ? new $util.LongBits(m.rssBytes.low >>> 0, m.rssBytes.high >>> 0).toNumber(true) : m.rssBytes;
                }
                if (m.storeRows != null && $Object.hasOwnProperty.call(m, "storeRows")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.storeRows = typeof m.storeRows === "number" ? $BigInt(m.storeRows) : $util.Long.fromBits(m.storeRows.low >>> 0, m.storeRows.high >>> 0, true).toBigInt();
                    else if (typeof m.storeRows === "number")
                        d.storeRows = o.longs === $String ? $String(m.storeRows) : m.storeRows;
                    else
                        d.storeRows = o.longs === $String ? $util.Long.prototype.toString.call(m.storeRows) : o.longs === $Number ? new $util.LongBits(m.storeRows.low >>> 0, m.storeRows.high >>> 0).toNumber(true) : m.storeRows;
                }
                if (m.storeBytes != null && $Object.hasOwnProperty.call(m, "storeBytes")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.storeBytes = typeof m.storeBytes === "number" ? $BigInt(m.storeBytes) : $util.Long.fromBits(m.storeBytes.low >>> 0, m.storeBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.storeBytes === "number")
                        d.storeBytes = o.longs === $String ? $String(m.storeBytes) : m.storeBytes;
                    else
                        d.storeBytes = o.longs === $String ? $util.Long.prototype.toString.call(m.storeBytes) : o.longs === $Number ? new $util.LongBits(m.storeBytes.low >>> 0, m.storeBytes.high >>> 0).toNumber(true) : m.storeBytes;
                }
                if (m.oldestAgeMs != null && $Object.hasOwnProperty.call(m, "oldestAgeMs")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.oldestAgeMs = typeof m.oldestAgeMs === "number" ? $BigInt(m.oldestAgeMs) : $util.Long.fromBits(m.oldestAgeMs.low >>> 0, m.oldestAgeMs.high >>> 0, true).toBigInt();
                    else if (typeof m.oldestAgeMs === "number")
                        d.oldestAgeMs = o.longs === $String ? $String(m.oldestAgeMs) : m.oldestAgeMs;
                    else
                        d.oldestAgeMs = o.longs === $String ? $util.Long.prototype.toString.call(m.oldestAgeMs) : o.longs === $Number ? new $util.LongBits(m.oldestAgeMs.low >>> 0, m.oldestAgeMs.high >>> 0).toNumber(true) : m.oldestAgeMs;
                }
                var ks2;
                if (m.dropped && (ks2 = $Object.keys(m.dropped)).length) {
                    d.dropped = {};
                    for (var j = 0; j < ks2.length; ++j) {
                        if (ks2[j] === "__proto__")
                            $util.makeProp(d.dropped, ks2[j]);
                        if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                            d.dropped[ks2[j]] = typeof m.dropped[ks2[j]] === "number" ? $BigInt(m.dropped[ks2[j]]) : $util.Long.fromBits(m.dropped[ks2[j]].low >>> 0, m.dropped[ks2[j]].high >>> 0, true).toBigInt();
                        else if (typeof m.dropped[ks2[j]] === "number")
                            d.dropped[ks2[j]] = o.longs === $String ? $String(m.dropped[ks2[j]]) : m.dropped[ks2[j]];
                        else
                            d.dropped[ks2[j]] = o.longs === $String ? $util.Long.prototype.toString.call(m.dropped[ks2[j]]) : o.longs === $Number ? new $util.LongBits(m.dropped[ks2[j]].low >>> 0, m.dropped[ks2[j]].high >>> 0).toNumber(true) : m.dropped[ks2[j]];
                    }
                }
                if (m.devicesOnline != null && $Object.hasOwnProperty.call(m, "devicesOnline")) {
                    d.devicesOnline = m.devicesOnline;
                }
                if (m.devicesTotal != null && $Object.hasOwnProperty.call(m, "devicesTotal")) {
                    d.devicesTotal = m.devicesTotal;
                }
                if (m.clockSynced != null && $Object.hasOwnProperty.call(m, "clockSynced")) {
                    d.clockSynced = m.clockSynced;
                }
                if (m.configVersion != null && $Object.hasOwnProperty.call(m, "configVersion")) {
                    d.configVersion = m.configVersion;
                }
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion")) {
                    d.agentVersion = m.agentVersion;
                }
                if (m.readingsAccepted != null && $Object.hasOwnProperty.call(m, "readingsAccepted")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.readingsAccepted = typeof m.readingsAccepted === "number" ? $BigInt(m.readingsAccepted) : $util.Long.fromBits(m.readingsAccepted.low >>> 0, m.readingsAccepted.high >>> 0, true).toBigInt();
                    else if (typeof m.readingsAccepted === "number")
                        d.readingsAccepted = o.longs === $String ? $String(m.readingsAccepted) : m.readingsAccepted;
                    else
                        d.readingsAccepted = o.longs === $String ? $util.Long.prototype.toString.call(m.readingsAccepted) : o.longs === $Number ? new $util.LongBits(m.readingsAccepted.low >>> 0, m.readingsAccepted.high >>> 0).toNumber(true) : m.readingsAccepted;
                }
                if (m.batchesAcked != null && $Object.hasOwnProperty.call(m, "batchesAcked")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.batchesAcked = typeof m.batchesAcked === "number" ? $BigInt(m.batchesAcked) : $util.Long.fromBits(m.batchesAcked.low >>> 0, m.batchesAcked.high >>> 0, true).toBigInt();
                    else if (typeof m.batchesAcked === "number")
                        d.batchesAcked = o.longs === $String ? $String(m.batchesAcked) : m.batchesAcked;
                    else
                        d.batchesAcked = o.longs === $String ? $util.Long.prototype.toString.call(m.batchesAcked) : o.longs === $Number ? new $util.LongBits(m.batchesAcked.low >>> 0, m.batchesAcked.high >>> 0).toNumber(true) : m.batchesAcked;
                }
                if (m.storeCapBytes != null && $Object.hasOwnProperty.call(m, "storeCapBytes")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.storeCapBytes = typeof m.storeCapBytes === "number" ? $BigInt(m.storeCapBytes) : $util.Long.fromBits(m.storeCapBytes.low >>> 0, m.storeCapBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.storeCapBytes === "number")
                        d.storeCapBytes = o.longs === $String ? $String(m.storeCapBytes) : m.storeCapBytes;
                    else
                        d.storeCapBytes = o.longs === $String ? $util.Long.prototype.toString.call(m.storeCapBytes) : o.longs === $Number ? new $util.LongBits(m.storeCapBytes.low >>> 0, m.storeCapBytes.high >>> 0).toNumber(true) : m.storeCapBytes;
                }
                if (m.diskFreeBytes != null && $Object.hasOwnProperty.call(m, "diskFreeBytes")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.diskFreeBytes = typeof m.diskFreeBytes === "number" ? $BigInt(m.diskFreeBytes) : $util.Long.fromBits(m.diskFreeBytes.low >>> 0, m.diskFreeBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.diskFreeBytes === "number")
                        d.diskFreeBytes = o.longs === $String ? $String(m.diskFreeBytes) : m.diskFreeBytes;
                    else
                        d.diskFreeBytes = o.longs === $String ? $util.Long.prototype.toString.call(m.diskFreeBytes) : o.longs === $Number ? new $util.LongBits(m.diskFreeBytes.low >>> 0, m.diskFreeBytes.high >>> 0).toNumber(true) : m.diskFreeBytes;
                }
                if (m.diskTotalBytes != null && $Object.hasOwnProperty.call(m, "diskTotalBytes")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.diskTotalBytes = typeof m.diskTotalBytes === "number" ? $BigInt(m.diskTotalBytes) : $util.Long.fromBits(m.diskTotalBytes.low >>> 0, m.diskTotalBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.diskTotalBytes === "number")
                        d.diskTotalBytes = o.longs === $String ? $String(m.diskTotalBytes) : m.diskTotalBytes;
                    else
                        d.diskTotalBytes = o.longs === $String ? $util.Long.prototype.toString.call(m.diskTotalBytes) : o.longs === $Number ? new $util.LongBits(m.diskTotalBytes.low >>> 0, m.diskTotalBytes.high >>> 0).toNumber(true) : m.diskTotalBytes;
                }
                if (m.link != null && $Object.hasOwnProperty.call(m, "link")) {
                    d.link = $root.yiwang.v1.LinkQuality.toObject(m.link, o, q + 1);
                }
                if (m.devicesByState && (ks2 = $Object.keys(m.devicesByState)).length) {
                    d.devicesByState = {};
                    for (var j = 0; j < ks2.length; ++j) {
                        if (ks2[j] === "__proto__")
                            $util.makeProp(d.devicesByState, ks2[j]);
                        d.devicesByState[ks2[j]] = m.devicesByState[ks2[j]];
                    }
                }
                if (m.camerasTotal != null && $Object.hasOwnProperty.call(m, "camerasTotal")) {
                    d.camerasTotal = m.camerasTotal;
                }
                if (m.camerasOnline != null && $Object.hasOwnProperty.call(m, "camerasOnline")) {
                    d.camerasOnline = m.camerasOnline;
                }
                if (m.camerasByState && (ks2 = $Object.keys(m.camerasByState)).length) {
                    d.camerasByState = {};
                    for (var j = 0; j < ks2.length; ++j) {
                        if (ks2[j] === "__proto__")
                            $util.makeProp(d.camerasByState, ks2[j]);
                        d.camerasByState[ks2[j]] = m.camerasByState[ks2[j]];
                    }
                }
                if (m.configError != null && $Object.hasOwnProperty.call(m, "configError")) {
                    d.configError = m.configError;
                }
                if (m.drainRate != null && $Object.hasOwnProperty.call(m, "drainRate")) {
                    d.drainRate = o.json && !$isFinite(m.drainRate) ? $String(m.drainRate) : m.drainRate;
                }
                if (m.bytesSentToday && (ks2 = $Object.keys(m.bytesSentToday)).length) {
                    d.bytesSentToday = {};
                    for (var j = 0; j < ks2.length; ++j) {
                        if (ks2[j] === "__proto__")
                            $util.makeProp(d.bytesSentToday, ks2[j]);
                        if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                            d.bytesSentToday[ks2[j]] = typeof m.bytesSentToday[ks2[j]] === "number" ? $BigInt(m.bytesSentToday[ks2[j]]) : $util.Long.fromBits(m.bytesSentToday[ks2[j]].low >>> 0, m.bytesSentToday[ks2[j]].high >>> 0, true).toBigInt();
                        else if (typeof m.bytesSentToday[ks2[j]] === "number")
                            d.bytesSentToday[ks2[j]] = o.longs === $String ? $String(m.bytesSentToday[ks2[j]]) : m.bytesSentToday[ks2[j]];
                        else
                            d.bytesSentToday[ks2[j]] = o.longs === $String ? $util.Long.prototype.toString.call(m.bytesSentToday[ks2[j]]) : o.longs === $Number ? new $util.LongBits(m.bytesSentToday[ks2[j]].low >>> 0, m.bytesSentToday[ks2[j]].high >>> 0).toNumber(true) : m.bytesSentToday[ks2[j]];
                    }
                }
                if (m.unackedBatches != null && $Object.hasOwnProperty.call(m, "unackedBatches")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.unackedBatches = typeof m.unackedBatches === "number" ? $BigInt(m.unackedBatches) : $util.Long.fromBits(m.unackedBatches.low >>> 0, m.unackedBatches.high >>> 0, true).toBigInt();
                    else if (typeof m.unackedBatches === "number")
                        d.unackedBatches = o.longs === $String ? $String(m.unackedBatches) : m.unackedBatches;
                    else
                        d.unackedBatches = o.longs === $String ? $util.Long.prototype.toString.call(m.unackedBatches) : o.longs === $Number ? new $util.LongBits(m.unackedBatches.low >>> 0, m.unackedBatches.high >>> 0).toNumber(true) : m.unackedBatches;
                }
                if (m.pendingRows != null && $Object.hasOwnProperty.call(m, "pendingRows")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.pendingRows = typeof m.pendingRows === "number" ? $BigInt(m.pendingRows) : $util.Long.fromBits(m.pendingRows.low >>> 0, m.pendingRows.high >>> 0, true).toBigInt();
                    else if (typeof m.pendingRows === "number")
                        d.pendingRows = o.longs === $String ? $String(m.pendingRows) : m.pendingRows;
                    else
                        d.pendingRows = o.longs === $String ? $util.Long.prototype.toString.call(m.pendingRows) : o.longs === $Number ? new $util.LongBits(m.pendingRows.low >>> 0, m.pendingRows.high >>> 0).toNumber(true) : m.pendingRows;
                }
                if (m.clockSteps != null && $Object.hasOwnProperty.call(m, "clockSteps")) {
                    d.clockSteps = m.clockSteps;
                }
                if (m.heldUnsynced != null && $Object.hasOwnProperty.call(m, "heldUnsynced")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.heldUnsynced = typeof m.heldUnsynced === "number" ? $BigInt(m.heldUnsynced) : $util.Long.fromBits(m.heldUnsynced.low >>> 0, m.heldUnsynced.high >>> 0, true).toBigInt();
                    else if (typeof m.heldUnsynced === "number")
                        d.heldUnsynced = o.longs === $String ? $String(m.heldUnsynced) : m.heldUnsynced;
                    else
                        d.heldUnsynced = o.longs === $String ? $util.Long.prototype.toString.call(m.heldUnsynced) : o.longs === $Number ? new $util.LongBits(m.heldUnsynced.low >>> 0, m.heldUnsynced.high >>> 0).toNumber(true) : m.heldUnsynced;
                }
                if (m.quarantinedReadings != null && $Object.hasOwnProperty.call(m, "quarantinedReadings")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.quarantinedReadings = typeof m.quarantinedReadings === "number" ? $BigInt(m.quarantinedReadings) : $util.Long.fromBits(m.quarantinedReadings.low >>> 0, m.quarantinedReadings.high >>> 0, true).toBigInt();
                    else if (typeof m.quarantinedReadings === "number")
                        d.quarantinedReadings = o.longs === $String ? $String(m.quarantinedReadings) : m.quarantinedReadings;
                    else
                        d.quarantinedReadings = o.longs === $String ? $util.Long.prototype.toString.call(m.quarantinedReadings) : o.longs === $Number ? new $util.LongBits(m.quarantinedReadings.low >>> 0, m.quarantinedReadings.high >>> 0).toNumber(true) : m.quarantinedReadings;
                }
                if (m.deadLetterBatches != null && $Object.hasOwnProperty.call(m, "deadLetterBatches")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.deadLetterBatches = typeof m.deadLetterBatches === "number" ? $BigInt(m.deadLetterBatches) : $util.Long.fromBits(m.deadLetterBatches.low >>> 0, m.deadLetterBatches.high >>> 0, true).toBigInt();
                    else if (typeof m.deadLetterBatches === "number")
                        d.deadLetterBatches = o.longs === $String ? $String(m.deadLetterBatches) : m.deadLetterBatches;
                    else
                        d.deadLetterBatches = o.longs === $String ? $util.Long.prototype.toString.call(m.deadLetterBatches) : o.longs === $Number ? new $util.LongBits(m.deadLetterBatches.low >>> 0, m.deadLetterBatches.high >>> 0).toNumber(true) : m.deadLetterBatches;
                }
                if (m.quarantinedByReason && (ks2 = $Object.keys(m.quarantinedByReason)).length) {
                    d.quarantinedByReason = {};
                    for (var j = 0; j < ks2.length; ++j) {
                        if (ks2[j] === "__proto__")
                            $util.makeProp(d.quarantinedByReason, ks2[j]);
                        if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                            d.quarantinedByReason[ks2[j]] = typeof m.quarantinedByReason[ks2[j]] === "number" ? $BigInt(m.quarantinedByReason[ks2[j]]) : $util.Long.fromBits(m.quarantinedByReason[ks2[j]].low >>> 0, m.quarantinedByReason[ks2[j]].high >>> 0, true).toBigInt();
                        else if (typeof m.quarantinedByReason[ks2[j]] === "number")
                            d.quarantinedByReason[ks2[j]] = o.longs === $String ? $String(m.quarantinedByReason[ks2[j]]) : m.quarantinedByReason[ks2[j]];
                        else
                            d.quarantinedByReason[ks2[j]] = o.longs === $String ? $util.Long.prototype.toString.call(m.quarantinedByReason[ks2[j]]) : o.longs === $Number ? new $util.LongBits(m.quarantinedByReason[ks2[j]].low >>> 0, m.quarantinedByReason[ks2[j]].high >>> 0).toNumber(true) : m.quarantinedByReason[ks2[j]];
                    }
                }
                return d;
            };

            /**
             * Converts this Health to JSON.
             * @function toJSON
             * @memberof yiwang.v1.Health
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Health.prototype.toJSON = function() {
                return Health.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Health
             * @function getTypeUrl
             * @memberof yiwang.v1.Health
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Health.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.Health";
            };

            return Health;
        })();

        v1.LinkQuality = (function() {

            /**
             * Properties of a LinkQuality.
             * @typedef {Object} yiwang.v1.LinkQuality.$Properties
             * @property {string|null} [technology] LinkQuality technology
             * @property {number|null} [rsrpDbm] LinkQuality rsrpDbm
             * @property {number|null} [rsrqDb] LinkQuality rsrqDb
             * @property {number|null} [sinrDb] LinkQuality sinrDb
             * @property {number|null} [rssiDbm] LinkQuality rssiDbm
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a LinkQuality.
             * @memberof yiwang.v1
             * @interface ILinkQuality
             * @augments yiwang.v1.LinkQuality.$Properties
             * @deprecated Use yiwang.v1.LinkQuality.$Properties instead.
             */

            /**
             * Shape of a LinkQuality.
             * @typedef {yiwang.v1.LinkQuality.$Properties} yiwang.v1.LinkQuality.$Shape
             */

            /**
             * Constructs a new LinkQuality.
             * @memberof yiwang.v1
             * @classdesc Represents a LinkQuality.
             * @constructor
             * @param {yiwang.v1.LinkQuality.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const LinkQuality = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * LinkQuality technology.
             * @member {string} technology
             * @memberof yiwang.v1.LinkQuality
             * @instance
             */
            LinkQuality.prototype.technology = "";

            /**
             * LinkQuality rsrpDbm.
             * @member {number} rsrpDbm
             * @memberof yiwang.v1.LinkQuality
             * @instance
             */
            LinkQuality.prototype.rsrpDbm = 0;

            /**
             * LinkQuality rsrqDb.
             * @member {number} rsrqDb
             * @memberof yiwang.v1.LinkQuality
             * @instance
             */
            LinkQuality.prototype.rsrqDb = 0;

            /**
             * LinkQuality sinrDb.
             * @member {number} sinrDb
             * @memberof yiwang.v1.LinkQuality
             * @instance
             */
            LinkQuality.prototype.sinrDb = 0;

            /**
             * LinkQuality rssiDbm.
             * @member {number} rssiDbm
             * @memberof yiwang.v1.LinkQuality
             * @instance
             */
            LinkQuality.prototype.rssiDbm = 0;

            /**
             * Creates a new LinkQuality instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.LinkQuality
             * @static
             * @param {yiwang.v1.LinkQuality.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.LinkQuality} LinkQuality instance
             * @type {{
             *   (properties: yiwang.v1.LinkQuality.$Shape): yiwang.v1.LinkQuality & yiwang.v1.LinkQuality.$Shape;
             *   (properties?: yiwang.v1.LinkQuality.$Properties): yiwang.v1.LinkQuality;
             * }}
             */
            LinkQuality.create = function(properties) {
                return new LinkQuality(properties);
            };

            /**
             * Encodes the specified LinkQuality message. Does not implicitly {@link yiwang.v1.LinkQuality.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.LinkQuality
             * @static
             * @param {yiwang.v1.LinkQuality.$Properties} m LinkQuality message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LinkQuality.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.technology != null && $Object.hasOwnProperty.call(m, "technology") && m.technology !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.technology);
                if (m.rsrpDbm != null && $Object.hasOwnProperty.call(m, "rsrpDbm") && m.rsrpDbm !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).sint32(m.rsrpDbm);
                if (m.rsrqDb != null && $Object.hasOwnProperty.call(m, "rsrqDb") && m.rsrqDb !== 0)
                    w.uint32(/* id 3, wireType 0 =*/24).sint32(m.rsrqDb);
                if (m.sinrDb != null && $Object.hasOwnProperty.call(m, "sinrDb") && m.sinrDb !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).sint32(m.sinrDb);
                if (m.rssiDbm != null && $Object.hasOwnProperty.call(m, "rssiDbm") && m.rssiDbm !== 0)
                    w.uint32(/* id 5, wireType 0 =*/40).sint32(m.rssiDbm);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified LinkQuality message, length delimited. Does not implicitly {@link yiwang.v1.LinkQuality.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.LinkQuality
             * @static
             * @param {yiwang.v1.LinkQuality.$Properties} message LinkQuality message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LinkQuality.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a LinkQuality message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.LinkQuality
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.LinkQuality & yiwang.v1.LinkQuality.$Shape} LinkQuality
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LinkQuality.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.LinkQuality();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.technology = v;
                            else
                                delete m.technology;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.sint32())
                                m.rsrpDbm = v;
                            else
                                delete m.rsrpDbm;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.sint32())
                                m.rsrqDb = v;
                            else
                                delete m.rsrqDb;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.sint32())
                                m.sinrDb = v;
                            else
                                delete m.sinrDb;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (v = r.sint32())
                                m.rssiDbm = v;
                            else
                                delete m.rssiDbm;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a LinkQuality message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.LinkQuality
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.LinkQuality & yiwang.v1.LinkQuality.$Shape} LinkQuality
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LinkQuality.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a LinkQuality message.
             * @function verify
             * @memberof yiwang.v1.LinkQuality
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            LinkQuality.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.technology != null && $Object.hasOwnProperty.call(m, "technology")) {
                    if (!$util.isString(m.technology))
                        return "technology: string expected";
                }
                if (m.rsrpDbm != null && $Object.hasOwnProperty.call(m, "rsrpDbm")) {
                    if (!$util.isInteger(m.rsrpDbm))
                        return "rsrpDbm: integer expected";
                }
                if (m.rsrqDb != null && $Object.hasOwnProperty.call(m, "rsrqDb")) {
                    if (!$util.isInteger(m.rsrqDb))
                        return "rsrqDb: integer expected";
                }
                if (m.sinrDb != null && $Object.hasOwnProperty.call(m, "sinrDb")) {
                    if (!$util.isInteger(m.sinrDb))
                        return "sinrDb: integer expected";
                }
                if (m.rssiDbm != null && $Object.hasOwnProperty.call(m, "rssiDbm")) {
                    if (!$util.isInteger(m.rssiDbm))
                        return "rssiDbm: integer expected";
                }
                return null;
            };

            /**
             * Creates a LinkQuality message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.LinkQuality
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.LinkQuality} LinkQuality
             */
            LinkQuality.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.LinkQuality)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.LinkQuality: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.LinkQuality();
                if (d.technology != null) {
                    if (typeof d.technology !== "string" || d.technology.length) {
                        m.technology = $String(d.technology);
                    }
                }
                if (d.rsrpDbm != null) {
                    if ($Number(d.rsrpDbm) !== 0) {
                        m.rsrpDbm = d.rsrpDbm | 0;
                    }
                }
                if (d.rsrqDb != null) {
                    if ($Number(d.rsrqDb) !== 0) {
                        m.rsrqDb = d.rsrqDb | 0;
                    }
                }
                if (d.sinrDb != null) {
                    if ($Number(d.sinrDb) !== 0) {
                        m.sinrDb = d.sinrDb | 0;
                    }
                }
                if (d.rssiDbm != null) {
                    if ($Number(d.rssiDbm) !== 0) {
                        m.rssiDbm = d.rssiDbm | 0;
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a LinkQuality message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.LinkQuality
             * @static
             * @param {yiwang.v1.LinkQuality} m LinkQuality
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            LinkQuality.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.technology = "";
                    d.rsrpDbm = 0;
                    d.rsrqDb = 0;
                    d.sinrDb = 0;
                    d.rssiDbm = 0;
                }
                if (m.technology != null && $Object.hasOwnProperty.call(m, "technology")) {
                    d.technology = m.technology;
                }
                if (m.rsrpDbm != null && $Object.hasOwnProperty.call(m, "rsrpDbm")) {
                    d.rsrpDbm = m.rsrpDbm;
                }
                if (m.rsrqDb != null && $Object.hasOwnProperty.call(m, "rsrqDb")) {
                    d.rsrqDb = m.rsrqDb;
                }
                if (m.sinrDb != null && $Object.hasOwnProperty.call(m, "sinrDb")) {
                    d.sinrDb = m.sinrDb;
                }
                if (m.rssiDbm != null && $Object.hasOwnProperty.call(m, "rssiDbm")) {
                    d.rssiDbm = m.rssiDbm;
                }
                return d;
            };

            /**
             * Converts this LinkQuality to JSON.
             * @function toJSON
             * @memberof yiwang.v1.LinkQuality
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            LinkQuality.prototype.toJSON = function() {
                return LinkQuality.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for LinkQuality
             * @function getTypeUrl
             * @memberof yiwang.v1.LinkQuality
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            LinkQuality.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.LinkQuality";
            };

            return LinkQuality;
        })();

        v1.Presence = (function() {

            /**
             * Properties of a Presence.
             * @typedef {Object} yiwang.v1.Presence.$Properties
             * @property {boolean|null} [online] Presence online
             * @property {number|null} [sinceMs] Presence sinceMs
             * @property {string|null} [agentVersion] Presence agentVersion
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Presence.
             * @memberof yiwang.v1
             * @interface IPresence
             * @augments yiwang.v1.Presence.$Properties
             * @deprecated Use yiwang.v1.Presence.$Properties instead.
             */

            /**
             * Shape of a Presence.
             * @typedef {yiwang.v1.Presence.$Properties} yiwang.v1.Presence.$Shape
             */

            /**
             * Constructs a new Presence.
             * @memberof yiwang.v1
             * @classdesc Represents a Presence.
             * @constructor
             * @param {yiwang.v1.Presence.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Presence = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Presence online.
             * @member {boolean} online
             * @memberof yiwang.v1.Presence
             * @instance
             */
            Presence.prototype.online = false;

            /**
             * Presence sinceMs.
             * @member {number} sinceMs
             * @memberof yiwang.v1.Presence
             * @instance
             */
            Presence.prototype.sinceMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Presence agentVersion.
             * @member {string} agentVersion
             * @memberof yiwang.v1.Presence
             * @instance
             */
            Presence.prototype.agentVersion = "";

            /**
             * Creates a new Presence instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.Presence
             * @static
             * @param {yiwang.v1.Presence.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.Presence} Presence instance
             * @type {{
             *   (properties: yiwang.v1.Presence.$Shape): yiwang.v1.Presence & yiwang.v1.Presence.$Shape;
             *   (properties?: yiwang.v1.Presence.$Properties): yiwang.v1.Presence;
             * }}
             */
            Presence.create = function(properties) {
                return new Presence(properties);
            };

            /**
             * Encodes the specified Presence message. Does not implicitly {@link yiwang.v1.Presence.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.Presence
             * @static
             * @param {yiwang.v1.Presence.$Properties} m Presence message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Presence.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.online != null && $Object.hasOwnProperty.call(m, "online") && m.online !== false)
                    w.uint32(/* id 1, wireType 0 =*/8).bool(m.online);
                if (m.sinceMs != null && $Object.hasOwnProperty.call(m, "sinceMs") && (typeof m.sinceMs === "object" ? m.sinceMs.low || m.sinceMs.high : m.sinceMs !== 0))
                    w.uint32(/* id 2, wireType 0 =*/16).int64(m.sinceMs);
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion") && m.agentVersion !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.agentVersion);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified Presence message, length delimited. Does not implicitly {@link yiwang.v1.Presence.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.Presence
             * @static
             * @param {yiwang.v1.Presence.$Properties} message Presence message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Presence.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Presence message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.Presence
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.Presence & yiwang.v1.Presence.$Shape} Presence
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Presence.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.Presence();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.online = v;
                            else
                                delete m.online;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.sinceMs = v;
                            else
                                delete m.sinceMs;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.agentVersion = v;
                            else
                                delete m.agentVersion;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a Presence message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.Presence
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.Presence & yiwang.v1.Presence.$Shape} Presence
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Presence.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a Presence message.
             * @function verify
             * @memberof yiwang.v1.Presence
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Presence.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.online != null && $Object.hasOwnProperty.call(m, "online")) {
                    if (typeof m.online !== "boolean")
                        return "online: boolean expected";
                }
                if (m.sinceMs != null && $Object.hasOwnProperty.call(m, "sinceMs")) {
                    if (!$util.isInteger(m.sinceMs) && !(m.sinceMs && $util.isInteger(m.sinceMs.low) && $util.isInteger(m.sinceMs.high)))
                        return "sinceMs: integer|Long expected";
                }
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion")) {
                    if (!$util.isString(m.agentVersion))
                        return "agentVersion: string expected";
                }
                return null;
            };

            /**
             * Creates a Presence message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.Presence
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.Presence} Presence
             */
            Presence.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.Presence)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.Presence: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.Presence();
                if (d.online != null) {
                    if (d.online) {
                        m.online = $Boolean(d.online);
                    }
                }
                if (d.sinceMs != null) {
                    if (typeof d.sinceMs === "object" ? d.sinceMs.low || d.sinceMs.high : $Number(d.sinceMs) !== 0) {
                        if ($util.Long)
                            m.sinceMs = $util.Long.fromValue(d.sinceMs, false);
                        else if (typeof d.sinceMs === "string")
                            m.sinceMs = $parseInt(d.sinceMs, 10);
                        else if (typeof d.sinceMs === "number")
                            m.sinceMs = d.sinceMs;
                        else if (typeof d.sinceMs === "object")
                            m.sinceMs = new $util.LongBits(d.sinceMs.low >>> 0, d.sinceMs.high >>> 0).toNumber();
                    }
                }
                if (d.agentVersion != null) {
                    if (typeof d.agentVersion !== "string" || d.agentVersion.length) {
                        m.agentVersion = $String(d.agentVersion);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a Presence message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.Presence
             * @static
             * @param {yiwang.v1.Presence} m Presence
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Presence.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.online = false;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, false);
                        d.sinceMs = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.sinceMs = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.agentVersion = "";
                }
                if (m.online != null && $Object.hasOwnProperty.call(m, "online")) {
                    d.online = m.online;
                }
                if (m.sinceMs != null && $Object.hasOwnProperty.call(m, "sinceMs")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.sinceMs = typeof m.sinceMs === "number" ? $BigInt(m.sinceMs) : $util.Long.fromBits(m.sinceMs.low >>> 0, m.sinceMs.high >>> 0, false).toBigInt();
                    else if (typeof m.sinceMs === "number")
                        d.sinceMs = o.longs === $String ? $String(m.sinceMs) : m.sinceMs;
                    else
                        d.sinceMs = o.longs === $String ? $util.Long.prototype.toString.call(m.sinceMs) : o.longs === $Number ? new $util.LongBits(m.sinceMs.low >>> 0, m.sinceMs.high >>> 0).toNumber() : m.sinceMs;
                }
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion")) {
                    d.agentVersion = m.agentVersion;
                }
                return d;
            };

            /**
             * Converts this Presence to JSON.
             * @function toJSON
             * @memberof yiwang.v1.Presence
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Presence.prototype.toJSON = function() {
                return Presence.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Presence
             * @function getTypeUrl
             * @memberof yiwang.v1.Presence
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Presence.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.Presence";
            };

            return Presence;
        })();

        v1.ClaimRequest = (function() {

            /**
             * Properties of a ClaimRequest.
             * @typedef {Object} yiwang.v1.ClaimRequest.$Properties
             * @property {string|null} [token] ClaimRequest token
             * @property {Uint8Array|null} [publicKey] ClaimRequest publicKey
             * @property {string|null} [requestedId] ClaimRequest requestedId
             * @property {string|null} [agentVersion] ClaimRequest agentVersion
             * @property {string|null} [hostname] ClaimRequest hostname
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ClaimRequest.
             * @memberof yiwang.v1
             * @interface IClaimRequest
             * @augments yiwang.v1.ClaimRequest.$Properties
             * @deprecated Use yiwang.v1.ClaimRequest.$Properties instead.
             */

            /**
             * Shape of a ClaimRequest.
             * @typedef {yiwang.v1.ClaimRequest.$Properties} yiwang.v1.ClaimRequest.$Shape
             */

            /**
             * Constructs a new ClaimRequest.
             * @memberof yiwang.v1
             * @classdesc Represents a ClaimRequest.
             * @constructor
             * @param {yiwang.v1.ClaimRequest.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ClaimRequest = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ClaimRequest token.
             * @member {string} token
             * @memberof yiwang.v1.ClaimRequest
             * @instance
             */
            ClaimRequest.prototype.token = "";

            /**
             * ClaimRequest publicKey.
             * @member {Uint8Array} publicKey
             * @memberof yiwang.v1.ClaimRequest
             * @instance
             */
            ClaimRequest.prototype.publicKey = $util.newBuffer([]);

            /**
             * ClaimRequest requestedId.
             * @member {string} requestedId
             * @memberof yiwang.v1.ClaimRequest
             * @instance
             */
            ClaimRequest.prototype.requestedId = "";

            /**
             * ClaimRequest agentVersion.
             * @member {string} agentVersion
             * @memberof yiwang.v1.ClaimRequest
             * @instance
             */
            ClaimRequest.prototype.agentVersion = "";

            /**
             * ClaimRequest hostname.
             * @member {string} hostname
             * @memberof yiwang.v1.ClaimRequest
             * @instance
             */
            ClaimRequest.prototype.hostname = "";

            /**
             * Creates a new ClaimRequest instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.ClaimRequest
             * @static
             * @param {yiwang.v1.ClaimRequest.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.ClaimRequest} ClaimRequest instance
             * @type {{
             *   (properties: yiwang.v1.ClaimRequest.$Shape): yiwang.v1.ClaimRequest & yiwang.v1.ClaimRequest.$Shape;
             *   (properties?: yiwang.v1.ClaimRequest.$Properties): yiwang.v1.ClaimRequest;
             * }}
             */
            ClaimRequest.create = function(properties) {
                return new ClaimRequest(properties);
            };

            /**
             * Encodes the specified ClaimRequest message. Does not implicitly {@link yiwang.v1.ClaimRequest.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.ClaimRequest
             * @static
             * @param {yiwang.v1.ClaimRequest.$Properties} m ClaimRequest message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClaimRequest.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.token != null && $Object.hasOwnProperty.call(m, "token") && m.token !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.token);
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey") && m.publicKey.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.publicKey);
                if (m.requestedId != null && $Object.hasOwnProperty.call(m, "requestedId") && m.requestedId !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.requestedId);
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion") && m.agentVersion !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.agentVersion);
                if (m.hostname != null && $Object.hasOwnProperty.call(m, "hostname") && m.hostname !== "")
                    w.uint32(/* id 5, wireType 2 =*/42).string(m.hostname);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified ClaimRequest message, length delimited. Does not implicitly {@link yiwang.v1.ClaimRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.ClaimRequest
             * @static
             * @param {yiwang.v1.ClaimRequest.$Properties} message ClaimRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClaimRequest.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ClaimRequest message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.ClaimRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.ClaimRequest & yiwang.v1.ClaimRequest.$Shape} ClaimRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClaimRequest.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.ClaimRequest();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.token = v;
                            else
                                delete m.token;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.publicKey = v;
                            else
                                delete m.publicKey;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.requestedId = v;
                            else
                                delete m.requestedId;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.agentVersion = v;
                            else
                                delete m.agentVersion;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.hostname = v;
                            else
                                delete m.hostname;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a ClaimRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.ClaimRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.ClaimRequest & yiwang.v1.ClaimRequest.$Shape} ClaimRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClaimRequest.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ClaimRequest message.
             * @function verify
             * @memberof yiwang.v1.ClaimRequest
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ClaimRequest.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.token != null && $Object.hasOwnProperty.call(m, "token")) {
                    if (!$util.isString(m.token))
                        return "token: string expected";
                }
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey")) {
                    if (!(m.publicKey && typeof m.publicKey.length === "number" || $util.isString(m.publicKey)))
                        return "publicKey: buffer expected";
                }
                if (m.requestedId != null && $Object.hasOwnProperty.call(m, "requestedId")) {
                    if (!$util.isString(m.requestedId))
                        return "requestedId: string expected";
                }
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion")) {
                    if (!$util.isString(m.agentVersion))
                        return "agentVersion: string expected";
                }
                if (m.hostname != null && $Object.hasOwnProperty.call(m, "hostname")) {
                    if (!$util.isString(m.hostname))
                        return "hostname: string expected";
                }
                return null;
            };

            /**
             * Creates a ClaimRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.ClaimRequest
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.ClaimRequest} ClaimRequest
             */
            ClaimRequest.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.ClaimRequest)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.ClaimRequest: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.ClaimRequest();
                if (d.token != null) {
                    if (typeof d.token !== "string" || d.token.length) {
                        m.token = $String(d.token);
                    }
                }
                if (d.publicKey != null) {
                    if (d.publicKey.length) {
                        if (typeof d.publicKey === "string")
                            $util.base64.decode(d.publicKey, m.publicKey = $util.newBuffer($util.base64.length(d.publicKey)), 0);
                        else if (d.publicKey.length >= 0)
                            m.publicKey = d.publicKey;
                    }
                }
                if (d.requestedId != null) {
                    if (typeof d.requestedId !== "string" || d.requestedId.length) {
                        m.requestedId = $String(d.requestedId);
                    }
                }
                if (d.agentVersion != null) {
                    if (typeof d.agentVersion !== "string" || d.agentVersion.length) {
                        m.agentVersion = $String(d.agentVersion);
                    }
                }
                if (d.hostname != null) {
                    if (typeof d.hostname !== "string" || d.hostname.length) {
                        m.hostname = $String(d.hostname);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a ClaimRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.ClaimRequest
             * @static
             * @param {yiwang.v1.ClaimRequest} m ClaimRequest
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ClaimRequest.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.token = "";
                    if (o.bytes === $String)
                        d.publicKey = "";
                    else {
                        d.publicKey = [];
                        if (o.bytes !== $Array)
                            d.publicKey = $util.newBuffer(d.publicKey);
                    }
                    d.requestedId = "";
                    d.agentVersion = "";
                    d.hostname = "";
                }
                if (m.token != null && $Object.hasOwnProperty.call(m, "token")) {
                    d.token = m.token;
                }
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey")) {
                    d.publicKey = o.bytes === $String ? $util.base64.encode(m.publicKey, 0, m.publicKey.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.publicKey) : m.publicKey;
                }
                if (m.requestedId != null && $Object.hasOwnProperty.call(m, "requestedId")) {
                    d.requestedId = m.requestedId;
                }
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion")) {
                    d.agentVersion = m.agentVersion;
                }
                if (m.hostname != null && $Object.hasOwnProperty.call(m, "hostname")) {
                    d.hostname = m.hostname;
                }
                return d;
            };

            /**
             * Converts this ClaimRequest to JSON.
             * @function toJSON
             * @memberof yiwang.v1.ClaimRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ClaimRequest.prototype.toJSON = function() {
                return ClaimRequest.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ClaimRequest
             * @function getTypeUrl
             * @memberof yiwang.v1.ClaimRequest
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ClaimRequest.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.ClaimRequest";
            };

            return ClaimRequest;
        })();

        v1.ClaimResponse = (function() {

            /**
             * Properties of a ClaimResponse.
             * @typedef {Object} yiwang.v1.ClaimResponse.$Properties
             * @property {boolean|null} [ok] ClaimResponse ok
             * @property {string|null} [errorCode] ClaimResponse errorCode
             * @property {string|null} [detail] ClaimResponse detail
             * @property {Uint8Array|null} [sealedIdentity] ClaimResponse sealedIdentity
             * @property {Uint8Array|null} [cloudPublicKey] ClaimResponse cloudPublicKey
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ClaimResponse.
             * @memberof yiwang.v1
             * @interface IClaimResponse
             * @augments yiwang.v1.ClaimResponse.$Properties
             * @deprecated Use yiwang.v1.ClaimResponse.$Properties instead.
             */

            /**
             * Shape of a ClaimResponse.
             * @typedef {yiwang.v1.ClaimResponse.$Properties} yiwang.v1.ClaimResponse.$Shape
             */

            /**
             * Constructs a new ClaimResponse.
             * @memberof yiwang.v1
             * @classdesc Represents a ClaimResponse.
             * @constructor
             * @param {yiwang.v1.ClaimResponse.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ClaimResponse = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ClaimResponse ok.
             * @member {boolean} ok
             * @memberof yiwang.v1.ClaimResponse
             * @instance
             */
            ClaimResponse.prototype.ok = false;

            /**
             * ClaimResponse errorCode.
             * @member {string} errorCode
             * @memberof yiwang.v1.ClaimResponse
             * @instance
             */
            ClaimResponse.prototype.errorCode = "";

            /**
             * ClaimResponse detail.
             * @member {string} detail
             * @memberof yiwang.v1.ClaimResponse
             * @instance
             */
            ClaimResponse.prototype.detail = "";

            /**
             * ClaimResponse sealedIdentity.
             * @member {Uint8Array} sealedIdentity
             * @memberof yiwang.v1.ClaimResponse
             * @instance
             */
            ClaimResponse.prototype.sealedIdentity = $util.newBuffer([]);

            /**
             * ClaimResponse cloudPublicKey.
             * @member {Uint8Array} cloudPublicKey
             * @memberof yiwang.v1.ClaimResponse
             * @instance
             */
            ClaimResponse.prototype.cloudPublicKey = $util.newBuffer([]);

            /**
             * Creates a new ClaimResponse instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.ClaimResponse
             * @static
             * @param {yiwang.v1.ClaimResponse.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.ClaimResponse} ClaimResponse instance
             * @type {{
             *   (properties: yiwang.v1.ClaimResponse.$Shape): yiwang.v1.ClaimResponse & yiwang.v1.ClaimResponse.$Shape;
             *   (properties?: yiwang.v1.ClaimResponse.$Properties): yiwang.v1.ClaimResponse;
             * }}
             */
            ClaimResponse.create = function(properties) {
                return new ClaimResponse(properties);
            };

            /**
             * Encodes the specified ClaimResponse message. Does not implicitly {@link yiwang.v1.ClaimResponse.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.ClaimResponse
             * @static
             * @param {yiwang.v1.ClaimResponse.$Properties} m ClaimResponse message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClaimResponse.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.ok != null && $Object.hasOwnProperty.call(m, "ok") && m.ok !== false)
                    w.uint32(/* id 1, wireType 0 =*/8).bool(m.ok);
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode") && m.errorCode !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.errorCode);
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail") && m.detail !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.detail);
                if (m.sealedIdentity != null && $Object.hasOwnProperty.call(m, "sealedIdentity") && m.sealedIdentity.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.sealedIdentity);
                if (m.cloudPublicKey != null && $Object.hasOwnProperty.call(m, "cloudPublicKey") && m.cloudPublicKey.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.cloudPublicKey);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified ClaimResponse message, length delimited. Does not implicitly {@link yiwang.v1.ClaimResponse.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.ClaimResponse
             * @static
             * @param {yiwang.v1.ClaimResponse.$Properties} message ClaimResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClaimResponse.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ClaimResponse message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.ClaimResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.ClaimResponse & yiwang.v1.ClaimResponse.$Shape} ClaimResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClaimResponse.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.ClaimResponse();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.ok = v;
                            else
                                delete m.ok;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorCode = v;
                            else
                                delete m.errorCode;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.detail = v;
                            else
                                delete m.detail;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.sealedIdentity = v;
                            else
                                delete m.sealedIdentity;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.cloudPublicKey = v;
                            else
                                delete m.cloudPublicKey;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a ClaimResponse message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.ClaimResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.ClaimResponse & yiwang.v1.ClaimResponse.$Shape} ClaimResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClaimResponse.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ClaimResponse message.
             * @function verify
             * @memberof yiwang.v1.ClaimResponse
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ClaimResponse.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.ok != null && $Object.hasOwnProperty.call(m, "ok")) {
                    if (typeof m.ok !== "boolean")
                        return "ok: boolean expected";
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    if (!$util.isString(m.errorCode))
                        return "errorCode: string expected";
                }
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail")) {
                    if (!$util.isString(m.detail))
                        return "detail: string expected";
                }
                if (m.sealedIdentity != null && $Object.hasOwnProperty.call(m, "sealedIdentity")) {
                    if (!(m.sealedIdentity && typeof m.sealedIdentity.length === "number" || $util.isString(m.sealedIdentity)))
                        return "sealedIdentity: buffer expected";
                }
                if (m.cloudPublicKey != null && $Object.hasOwnProperty.call(m, "cloudPublicKey")) {
                    if (!(m.cloudPublicKey && typeof m.cloudPublicKey.length === "number" || $util.isString(m.cloudPublicKey)))
                        return "cloudPublicKey: buffer expected";
                }
                return null;
            };

            /**
             * Creates a ClaimResponse message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.ClaimResponse
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.ClaimResponse} ClaimResponse
             */
            ClaimResponse.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.ClaimResponse)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.ClaimResponse: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.ClaimResponse();
                if (d.ok != null) {
                    if (d.ok) {
                        m.ok = $Boolean(d.ok);
                    }
                }
                if (d.errorCode != null) {
                    if (typeof d.errorCode !== "string" || d.errorCode.length) {
                        m.errorCode = $String(d.errorCode);
                    }
                }
                if (d.detail != null) {
                    if (typeof d.detail !== "string" || d.detail.length) {
                        m.detail = $String(d.detail);
                    }
                }
                if (d.sealedIdentity != null) {
                    if (d.sealedIdentity.length) {
                        if (typeof d.sealedIdentity === "string")
                            $util.base64.decode(d.sealedIdentity, m.sealedIdentity = $util.newBuffer($util.base64.length(d.sealedIdentity)), 0);
                        else if (d.sealedIdentity.length >= 0)
                            m.sealedIdentity = d.sealedIdentity;
                    }
                }
                if (d.cloudPublicKey != null) {
                    if (d.cloudPublicKey.length) {
                        if (typeof d.cloudPublicKey === "string")
                            $util.base64.decode(d.cloudPublicKey, m.cloudPublicKey = $util.newBuffer($util.base64.length(d.cloudPublicKey)), 0);
                        else if (d.cloudPublicKey.length >= 0)
                            m.cloudPublicKey = d.cloudPublicKey;
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a ClaimResponse message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.ClaimResponse
             * @static
             * @param {yiwang.v1.ClaimResponse} m ClaimResponse
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ClaimResponse.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.ok = false;
                    d.errorCode = "";
                    d.detail = "";
                    if (o.bytes === $String)
                        d.sealedIdentity = "";
                    else {
                        d.sealedIdentity = [];
                        if (o.bytes !== $Array)
                            d.sealedIdentity = $util.newBuffer(d.sealedIdentity);
                    }
                    if (o.bytes === $String)
                        d.cloudPublicKey = "";
                    else {
                        d.cloudPublicKey = [];
                        if (o.bytes !== $Array)
                            d.cloudPublicKey = $util.newBuffer(d.cloudPublicKey);
                    }
                }
                if (m.ok != null && $Object.hasOwnProperty.call(m, "ok")) {
                    d.ok = m.ok;
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    d.errorCode = m.errorCode;
                }
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail")) {
                    d.detail = m.detail;
                }
                if (m.sealedIdentity != null && $Object.hasOwnProperty.call(m, "sealedIdentity")) {
                    d.sealedIdentity = o.bytes === $String ? $util.base64.encode(m.sealedIdentity, 0, m.sealedIdentity.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.sealedIdentity) : m.sealedIdentity;
                }
                if (m.cloudPublicKey != null && $Object.hasOwnProperty.call(m, "cloudPublicKey")) {
                    d.cloudPublicKey = o.bytes === $String ? $util.base64.encode(m.cloudPublicKey, 0, m.cloudPublicKey.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.cloudPublicKey) : m.cloudPublicKey;
                }
                return d;
            };

            /**
             * Converts this ClaimResponse to JSON.
             * @function toJSON
             * @memberof yiwang.v1.ClaimResponse
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ClaimResponse.prototype.toJSON = function() {
                return ClaimResponse.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ClaimResponse
             * @function getTypeUrl
             * @memberof yiwang.v1.ClaimResponse
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ClaimResponse.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.ClaimResponse";
            };

            return ClaimResponse;
        })();

        v1.GatewayIdentity = (function() {

            /**
             * Properties of a GatewayIdentity.
             * @typedef {Object} yiwang.v1.GatewayIdentity.$Properties
             * @property {string|null} [gatewayId] GatewayIdentity gatewayId
             * @property {string|null} [secret] GatewayIdentity secret
             * @property {Uint8Array|null} [configPublicKey] GatewayIdentity configPublicKey
             * @property {string|null} [caPem] GatewayIdentity caPem
             * @property {string|null} [group] GatewayIdentity group
             * @property {string|null} [site] GatewayIdentity site
             * @property {string|null} [district] GatewayIdentity district
             * @property {string|null} [tlsUrl] GatewayIdentity tlsUrl
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a GatewayIdentity.
             * @memberof yiwang.v1
             * @interface IGatewayIdentity
             * @augments yiwang.v1.GatewayIdentity.$Properties
             * @deprecated Use yiwang.v1.GatewayIdentity.$Properties instead.
             */

            /**
             * Shape of a GatewayIdentity.
             * @typedef {yiwang.v1.GatewayIdentity.$Properties} yiwang.v1.GatewayIdentity.$Shape
             */

            /**
             * Constructs a new GatewayIdentity.
             * @memberof yiwang.v1
             * @classdesc Represents a GatewayIdentity.
             * @constructor
             * @param {yiwang.v1.GatewayIdentity.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const GatewayIdentity = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * GatewayIdentity gatewayId.
             * @member {string} gatewayId
             * @memberof yiwang.v1.GatewayIdentity
             * @instance
             */
            GatewayIdentity.prototype.gatewayId = "";

            /**
             * GatewayIdentity secret.
             * @member {string} secret
             * @memberof yiwang.v1.GatewayIdentity
             * @instance
             */
            GatewayIdentity.prototype.secret = "";

            /**
             * GatewayIdentity configPublicKey.
             * @member {Uint8Array} configPublicKey
             * @memberof yiwang.v1.GatewayIdentity
             * @instance
             */
            GatewayIdentity.prototype.configPublicKey = $util.newBuffer([]);

            /**
             * GatewayIdentity caPem.
             * @member {string} caPem
             * @memberof yiwang.v1.GatewayIdentity
             * @instance
             */
            GatewayIdentity.prototype.caPem = "";

            /**
             * GatewayIdentity group.
             * @member {string} group
             * @memberof yiwang.v1.GatewayIdentity
             * @instance
             */
            GatewayIdentity.prototype.group = "";

            /**
             * GatewayIdentity site.
             * @member {string} site
             * @memberof yiwang.v1.GatewayIdentity
             * @instance
             */
            GatewayIdentity.prototype.site = "";

            /**
             * GatewayIdentity district.
             * @member {string} district
             * @memberof yiwang.v1.GatewayIdentity
             * @instance
             */
            GatewayIdentity.prototype.district = "";

            /**
             * GatewayIdentity tlsUrl.
             * @member {string} tlsUrl
             * @memberof yiwang.v1.GatewayIdentity
             * @instance
             */
            GatewayIdentity.prototype.tlsUrl = "";

            /**
             * Creates a new GatewayIdentity instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.GatewayIdentity
             * @static
             * @param {yiwang.v1.GatewayIdentity.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.GatewayIdentity} GatewayIdentity instance
             * @type {{
             *   (properties: yiwang.v1.GatewayIdentity.$Shape): yiwang.v1.GatewayIdentity & yiwang.v1.GatewayIdentity.$Shape;
             *   (properties?: yiwang.v1.GatewayIdentity.$Properties): yiwang.v1.GatewayIdentity;
             * }}
             */
            GatewayIdentity.create = function(properties) {
                return new GatewayIdentity(properties);
            };

            /**
             * Encodes the specified GatewayIdentity message. Does not implicitly {@link yiwang.v1.GatewayIdentity.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.GatewayIdentity
             * @static
             * @param {yiwang.v1.GatewayIdentity.$Properties} m GatewayIdentity message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GatewayIdentity.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId") && m.gatewayId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.gatewayId);
                if (m.secret != null && $Object.hasOwnProperty.call(m, "secret") && m.secret !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.secret);
                if (m.configPublicKey != null && $Object.hasOwnProperty.call(m, "configPublicKey") && m.configPublicKey.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.configPublicKey);
                if (m.caPem != null && $Object.hasOwnProperty.call(m, "caPem") && m.caPem !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.caPem);
                if (m.group != null && $Object.hasOwnProperty.call(m, "group") && m.group !== "")
                    w.uint32(/* id 5, wireType 2 =*/42).string(m.group);
                if (m.site != null && $Object.hasOwnProperty.call(m, "site") && m.site !== "")
                    w.uint32(/* id 6, wireType 2 =*/50).string(m.site);
                if (m.district != null && $Object.hasOwnProperty.call(m, "district") && m.district !== "")
                    w.uint32(/* id 7, wireType 2 =*/58).string(m.district);
                if (m.tlsUrl != null && $Object.hasOwnProperty.call(m, "tlsUrl") && m.tlsUrl !== "")
                    w.uint32(/* id 8, wireType 2 =*/66).string(m.tlsUrl);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified GatewayIdentity message, length delimited. Does not implicitly {@link yiwang.v1.GatewayIdentity.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.GatewayIdentity
             * @static
             * @param {yiwang.v1.GatewayIdentity.$Properties} message GatewayIdentity message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GatewayIdentity.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a GatewayIdentity message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.GatewayIdentity
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.GatewayIdentity & yiwang.v1.GatewayIdentity.$Shape} GatewayIdentity
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GatewayIdentity.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.GatewayIdentity();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.gatewayId = v;
                            else
                                delete m.gatewayId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.secret = v;
                            else
                                delete m.secret;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.configPublicKey = v;
                            else
                                delete m.configPublicKey;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.caPem = v;
                            else
                                delete m.caPem;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.group = v;
                            else
                                delete m.group;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.site = v;
                            else
                                delete m.site;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.district = v;
                            else
                                delete m.district;
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.tlsUrl = v;
                            else
                                delete m.tlsUrl;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a GatewayIdentity message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.GatewayIdentity
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.GatewayIdentity & yiwang.v1.GatewayIdentity.$Shape} GatewayIdentity
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GatewayIdentity.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a GatewayIdentity message.
             * @function verify
             * @memberof yiwang.v1.GatewayIdentity
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            GatewayIdentity.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    if (!$util.isString(m.gatewayId))
                        return "gatewayId: string expected";
                }
                if (m.secret != null && $Object.hasOwnProperty.call(m, "secret")) {
                    if (!$util.isString(m.secret))
                        return "secret: string expected";
                }
                if (m.configPublicKey != null && $Object.hasOwnProperty.call(m, "configPublicKey")) {
                    if (!(m.configPublicKey && typeof m.configPublicKey.length === "number" || $util.isString(m.configPublicKey)))
                        return "configPublicKey: buffer expected";
                }
                if (m.caPem != null && $Object.hasOwnProperty.call(m, "caPem")) {
                    if (!$util.isString(m.caPem))
                        return "caPem: string expected";
                }
                if (m.group != null && $Object.hasOwnProperty.call(m, "group")) {
                    if (!$util.isString(m.group))
                        return "group: string expected";
                }
                if (m.site != null && $Object.hasOwnProperty.call(m, "site")) {
                    if (!$util.isString(m.site))
                        return "site: string expected";
                }
                if (m.district != null && $Object.hasOwnProperty.call(m, "district")) {
                    if (!$util.isString(m.district))
                        return "district: string expected";
                }
                if (m.tlsUrl != null && $Object.hasOwnProperty.call(m, "tlsUrl")) {
                    if (!$util.isString(m.tlsUrl))
                        return "tlsUrl: string expected";
                }
                return null;
            };

            /**
             * Creates a GatewayIdentity message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.GatewayIdentity
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.GatewayIdentity} GatewayIdentity
             */
            GatewayIdentity.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.GatewayIdentity)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.GatewayIdentity: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.GatewayIdentity();
                if (d.gatewayId != null) {
                    if (typeof d.gatewayId !== "string" || d.gatewayId.length) {
                        m.gatewayId = $String(d.gatewayId);
                    }
                }
                if (d.secret != null) {
                    if (typeof d.secret !== "string" || d.secret.length) {
                        m.secret = $String(d.secret);
                    }
                }
                if (d.configPublicKey != null) {
                    if (d.configPublicKey.length) {
                        if (typeof d.configPublicKey === "string")
                            $util.base64.decode(d.configPublicKey, m.configPublicKey = $util.newBuffer($util.base64.length(d.configPublicKey)), 0);
                        else if (d.configPublicKey.length >= 0)
                            m.configPublicKey = d.configPublicKey;
                    }
                }
                if (d.caPem != null) {
                    if (typeof d.caPem !== "string" || d.caPem.length) {
                        m.caPem = $String(d.caPem);
                    }
                }
                if (d.group != null) {
                    if (typeof d.group !== "string" || d.group.length) {
                        m.group = $String(d.group);
                    }
                }
                if (d.site != null) {
                    if (typeof d.site !== "string" || d.site.length) {
                        m.site = $String(d.site);
                    }
                }
                if (d.district != null) {
                    if (typeof d.district !== "string" || d.district.length) {
                        m.district = $String(d.district);
                    }
                }
                if (d.tlsUrl != null) {
                    if (typeof d.tlsUrl !== "string" || d.tlsUrl.length) {
                        m.tlsUrl = $String(d.tlsUrl);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a GatewayIdentity message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.GatewayIdentity
             * @static
             * @param {yiwang.v1.GatewayIdentity} m GatewayIdentity
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            GatewayIdentity.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.gatewayId = "";
                    d.secret = "";
                    if (o.bytes === $String)
                        d.configPublicKey = "";
                    else {
                        d.configPublicKey = [];
                        if (o.bytes !== $Array)
                            d.configPublicKey = $util.newBuffer(d.configPublicKey);
                    }
                    d.caPem = "";
                    d.group = "";
                    d.site = "";
                    d.district = "";
                    d.tlsUrl = "";
                }
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    d.gatewayId = m.gatewayId;
                }
                if (m.secret != null && $Object.hasOwnProperty.call(m, "secret")) {
                    d.secret = m.secret;
                }
                if (m.configPublicKey != null && $Object.hasOwnProperty.call(m, "configPublicKey")) {
                    d.configPublicKey = o.bytes === $String ? $util.base64.encode(m.configPublicKey, 0, m.configPublicKey.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.configPublicKey) : m.configPublicKey;
                }
                if (m.caPem != null && $Object.hasOwnProperty.call(m, "caPem")) {
                    d.caPem = m.caPem;
                }
                if (m.group != null && $Object.hasOwnProperty.call(m, "group")) {
                    d.group = m.group;
                }
                if (m.site != null && $Object.hasOwnProperty.call(m, "site")) {
                    d.site = m.site;
                }
                if (m.district != null && $Object.hasOwnProperty.call(m, "district")) {
                    d.district = m.district;
                }
                if (m.tlsUrl != null && $Object.hasOwnProperty.call(m, "tlsUrl")) {
                    d.tlsUrl = m.tlsUrl;
                }
                return d;
            };

            /**
             * Converts this GatewayIdentity to JSON.
             * @function toJSON
             * @memberof yiwang.v1.GatewayIdentity
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            GatewayIdentity.prototype.toJSON = function() {
                return GatewayIdentity.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for GatewayIdentity
             * @function getTypeUrl
             * @memberof yiwang.v1.GatewayIdentity
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            GatewayIdentity.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.GatewayIdentity";
            };

            return GatewayIdentity;
        })();

        v1.ConfigDocument = (function() {

            /**
             * Properties of a ConfigDocument.
             * @typedef {Object} yiwang.v1.ConfigDocument.$Properties
             * @property {string|null} [gatewayId] ConfigDocument gatewayId
             * @property {number|null} [version] ConfigDocument version
             * @property {string|null} [toml] ConfigDocument toml
             * @property {number|null} [issuedMs] ConfigDocument issuedMs
             * @property {string|null} [label] ConfigDocument label
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ConfigDocument.
             * @memberof yiwang.v1
             * @interface IConfigDocument
             * @augments yiwang.v1.ConfigDocument.$Properties
             * @deprecated Use yiwang.v1.ConfigDocument.$Properties instead.
             */

            /**
             * Shape of a ConfigDocument.
             * @typedef {yiwang.v1.ConfigDocument.$Properties} yiwang.v1.ConfigDocument.$Shape
             */

            /**
             * Constructs a new ConfigDocument.
             * @memberof yiwang.v1
             * @classdesc Represents a ConfigDocument.
             * @constructor
             * @param {yiwang.v1.ConfigDocument.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ConfigDocument = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ConfigDocument gatewayId.
             * @member {string} gatewayId
             * @memberof yiwang.v1.ConfigDocument
             * @instance
             */
            ConfigDocument.prototype.gatewayId = "";

            /**
             * ConfigDocument version.
             * @member {number} version
             * @memberof yiwang.v1.ConfigDocument
             * @instance
             */
            ConfigDocument.prototype.version = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ConfigDocument toml.
             * @member {string} toml
             * @memberof yiwang.v1.ConfigDocument
             * @instance
             */
            ConfigDocument.prototype.toml = "";

            /**
             * ConfigDocument issuedMs.
             * @member {number} issuedMs
             * @memberof yiwang.v1.ConfigDocument
             * @instance
             */
            ConfigDocument.prototype.issuedMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ConfigDocument label.
             * @member {string} label
             * @memberof yiwang.v1.ConfigDocument
             * @instance
             */
            ConfigDocument.prototype.label = "";

            /**
             * Creates a new ConfigDocument instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.ConfigDocument
             * @static
             * @param {yiwang.v1.ConfigDocument.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.ConfigDocument} ConfigDocument instance
             * @type {{
             *   (properties: yiwang.v1.ConfigDocument.$Shape): yiwang.v1.ConfigDocument & yiwang.v1.ConfigDocument.$Shape;
             *   (properties?: yiwang.v1.ConfigDocument.$Properties): yiwang.v1.ConfigDocument;
             * }}
             */
            ConfigDocument.create = function(properties) {
                return new ConfigDocument(properties);
            };

            /**
             * Encodes the specified ConfigDocument message. Does not implicitly {@link yiwang.v1.ConfigDocument.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.ConfigDocument
             * @static
             * @param {yiwang.v1.ConfigDocument.$Properties} m ConfigDocument message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigDocument.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId") && m.gatewayId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.gatewayId);
                if (m.version != null && $Object.hasOwnProperty.call(m, "version") && (typeof m.version === "object" ? m.version.low || m.version.high : m.version !== 0))
                    w.uint32(/* id 2, wireType 0 =*/16).uint64(m.version);
                if (m.toml != null && $Object.hasOwnProperty.call(m, "toml") && m.toml !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.toml);
                if (m.issuedMs != null && $Object.hasOwnProperty.call(m, "issuedMs") && (typeof m.issuedMs === "object" ? m.issuedMs.low || m.issuedMs.high : m.issuedMs !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).int64(m.issuedMs);
                if (m.label != null && $Object.hasOwnProperty.call(m, "label") && m.label !== "")
                    w.uint32(/* id 5, wireType 2 =*/42).string(m.label);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified ConfigDocument message, length delimited. Does not implicitly {@link yiwang.v1.ConfigDocument.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.ConfigDocument
             * @static
             * @param {yiwang.v1.ConfigDocument.$Properties} message ConfigDocument message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigDocument.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ConfigDocument message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.ConfigDocument
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.ConfigDocument & yiwang.v1.ConfigDocument.$Shape} ConfigDocument
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigDocument.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.ConfigDocument();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.gatewayId = v;
                            else
                                delete m.gatewayId;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.version = v;
                            else
                                delete m.version;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.toml = v;
                            else
                                delete m.toml;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.issuedMs = v;
                            else
                                delete m.issuedMs;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.label = v;
                            else
                                delete m.label;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a ConfigDocument message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.ConfigDocument
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.ConfigDocument & yiwang.v1.ConfigDocument.$Shape} ConfigDocument
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigDocument.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ConfigDocument message.
             * @function verify
             * @memberof yiwang.v1.ConfigDocument
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ConfigDocument.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    if (!$util.isString(m.gatewayId))
                        return "gatewayId: string expected";
                }
                if (m.version != null && $Object.hasOwnProperty.call(m, "version")) {
                    if (!$util.isInteger(m.version) && !(m.version && $util.isInteger(m.version.low) && $util.isInteger(m.version.high)))
                        return "version: integer|Long expected";
                }
                if (m.toml != null && $Object.hasOwnProperty.call(m, "toml")) {
                    if (!$util.isString(m.toml))
                        return "toml: string expected";
                }
                if (m.issuedMs != null && $Object.hasOwnProperty.call(m, "issuedMs")) {
                    if (!$util.isInteger(m.issuedMs) && !(m.issuedMs && $util.isInteger(m.issuedMs.low) && $util.isInteger(m.issuedMs.high)))
                        return "issuedMs: integer|Long expected";
                }
                if (m.label != null && $Object.hasOwnProperty.call(m, "label")) {
                    if (!$util.isString(m.label))
                        return "label: string expected";
                }
                return null;
            };

            /**
             * Creates a ConfigDocument message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.ConfigDocument
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.ConfigDocument} ConfigDocument
             */
            ConfigDocument.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.ConfigDocument)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.ConfigDocument: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.ConfigDocument();
                if (d.gatewayId != null) {
                    if (typeof d.gatewayId !== "string" || d.gatewayId.length) {
                        m.gatewayId = $String(d.gatewayId);
                    }
                }
                if (d.version != null) {
                    if (typeof d.version === "object" ? d.version.low || d.version.high : $Number(d.version) !== 0) {
                        if ($util.Long)
                            m.version = $util.Long.fromValue(d.version, true);
                        else if (typeof d.version === "string")
                            m.version = $parseInt(d.version, 10);
                        else if (typeof d.version === "number")
                            m.version = d.version;
                        else if (typeof d.version === "object")
                            m.version = new $util.LongBits(d.version.low >>> 0, d.version.high >>> 0).toNumber(true);
                    }
                }
                if (d.toml != null) {
                    if (typeof d.toml !== "string" || d.toml.length) {
                        m.toml = $String(d.toml);
                    }
                }
                if (d.issuedMs != null) {
                    if (typeof d.issuedMs === "object" ? d.issuedMs.low || d.issuedMs.high : $Number(d.issuedMs) !== 0) {
                        if ($util.Long)
                            m.issuedMs = $util.Long.fromValue(d.issuedMs, false);
                        else if (typeof d.issuedMs === "string")
                            m.issuedMs = $parseInt(d.issuedMs, 10);
                        else if (typeof d.issuedMs === "number")
                            m.issuedMs = d.issuedMs;
                        else if (typeof d.issuedMs === "object")
                            m.issuedMs = new $util.LongBits(d.issuedMs.low >>> 0, d.issuedMs.high >>> 0).toNumber();
                    }
                }
                if (d.label != null) {
                    if (typeof d.label !== "string" || d.label.length) {
                        m.label = $String(d.label);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a ConfigDocument message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.ConfigDocument
             * @static
             * @param {yiwang.v1.ConfigDocument} m ConfigDocument
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ConfigDocument.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.gatewayId = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.version = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.version = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.toml = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, false);
                        d.issuedMs = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.issuedMs = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.label = "";
                }
                if (m.gatewayId != null && $Object.hasOwnProperty.call(m, "gatewayId")) {
                    d.gatewayId = m.gatewayId;
                }
                if (m.version != null && $Object.hasOwnProperty.call(m, "version")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.version = typeof m.version === "number" ? $BigInt(m.version) : $util.Long.fromBits(m.version.low >>> 0, m.version.high >>> 0, true).toBigInt();
                    else if (typeof m.version === "number")
                        d.version = o.longs === $String ? $String(m.version) : m.version;
                    else
                        d.version = o.longs === $String ? $util.Long.prototype.toString.call(m.version) : o.longs === $Number ? new $util.LongBits(m.version.low >>> 0, m.version.high >>> 0).toNumber(true) : m.version;
                }
                if (m.toml != null && $Object.hasOwnProperty.call(m, "toml")) {
                    d.toml = m.toml;
                }
                if (m.issuedMs != null && $Object.hasOwnProperty.call(m, "issuedMs")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.issuedMs = typeof m.issuedMs === "number" ? $BigInt(m.issuedMs) : $util.Long.fromBits(m.issuedMs.low >>> 0, m.issuedMs.high >>> 0, false).toBigInt();
                    else if (typeof m.issuedMs === "number")
                        d.issuedMs = o.longs === $String ? $String(m.issuedMs) : m.issuedMs;
                    else
                        d.issuedMs = o.longs === $String ? $util.Long.prototype.toString.call(m.issuedMs) : o.longs === $Number ? new $util.LongBits(m.issuedMs.low >>> 0, m.issuedMs.high >>> 0).toNumber() : m.issuedMs;
                }
                if (m.label != null && $Object.hasOwnProperty.call(m, "label")) {
                    d.label = m.label;
                }
                return d;
            };

            /**
             * Converts this ConfigDocument to JSON.
             * @function toJSON
             * @memberof yiwang.v1.ConfigDocument
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ConfigDocument.prototype.toJSON = function() {
                return ConfigDocument.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ConfigDocument
             * @function getTypeUrl
             * @memberof yiwang.v1.ConfigDocument
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ConfigDocument.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.ConfigDocument";
            };

            return ConfigDocument;
        })();

        v1.ConfigEnvelope = (function() {

            /**
             * Properties of a ConfigEnvelope.
             * @typedef {Object} yiwang.v1.ConfigEnvelope.$Properties
             * @property {Uint8Array|null} [document] ConfigEnvelope document
             * @property {Uint8Array|null} [signature] ConfigEnvelope signature
             * @property {string|null} [keyId] ConfigEnvelope keyId
             * @property {Array.<yiwang.v1.KeyTransition.$Properties>|null} [transitions] ConfigEnvelope transitions
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ConfigEnvelope.
             * @memberof yiwang.v1
             * @interface IConfigEnvelope
             * @augments yiwang.v1.ConfigEnvelope.$Properties
             * @deprecated Use yiwang.v1.ConfigEnvelope.$Properties instead.
             */

            /**
             * Shape of a ConfigEnvelope.
             * @typedef {yiwang.v1.ConfigEnvelope.$Properties} yiwang.v1.ConfigEnvelope.$Shape
             */

            /**
             * Constructs a new ConfigEnvelope.
             * @memberof yiwang.v1
             * @classdesc Represents a ConfigEnvelope.
             * @constructor
             * @param {yiwang.v1.ConfigEnvelope.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ConfigEnvelope = function (p) {
                this.transitions = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ConfigEnvelope document.
             * @member {Uint8Array} document
             * @memberof yiwang.v1.ConfigEnvelope
             * @instance
             */
            ConfigEnvelope.prototype.document = $util.newBuffer([]);

            /**
             * ConfigEnvelope signature.
             * @member {Uint8Array} signature
             * @memberof yiwang.v1.ConfigEnvelope
             * @instance
             */
            ConfigEnvelope.prototype.signature = $util.newBuffer([]);

            /**
             * ConfigEnvelope keyId.
             * @member {string} keyId
             * @memberof yiwang.v1.ConfigEnvelope
             * @instance
             */
            ConfigEnvelope.prototype.keyId = "";

            /**
             * ConfigEnvelope transitions.
             * @member {Array.<yiwang.v1.KeyTransition.$Properties>} transitions
             * @memberof yiwang.v1.ConfigEnvelope
             * @instance
             */
            ConfigEnvelope.prototype.transitions = $util.emptyArray;

            /**
             * Creates a new ConfigEnvelope instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.ConfigEnvelope
             * @static
             * @param {yiwang.v1.ConfigEnvelope.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.ConfigEnvelope} ConfigEnvelope instance
             * @type {{
             *   (properties: yiwang.v1.ConfigEnvelope.$Shape): yiwang.v1.ConfigEnvelope & yiwang.v1.ConfigEnvelope.$Shape;
             *   (properties?: yiwang.v1.ConfigEnvelope.$Properties): yiwang.v1.ConfigEnvelope;
             * }}
             */
            ConfigEnvelope.create = function(properties) {
                return new ConfigEnvelope(properties);
            };

            /**
             * Encodes the specified ConfigEnvelope message. Does not implicitly {@link yiwang.v1.ConfigEnvelope.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.ConfigEnvelope
             * @static
             * @param {yiwang.v1.ConfigEnvelope.$Properties} m ConfigEnvelope message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigEnvelope.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.document != null && $Object.hasOwnProperty.call(m, "document") && m.document.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.document);
                if (m.signature != null && $Object.hasOwnProperty.call(m, "signature") && m.signature.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.signature);
                if (m.keyId != null && $Object.hasOwnProperty.call(m, "keyId") && m.keyId !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.keyId);
                if (m.transitions != null && m.transitions.length) {
                    for (var i = 0; i < m.transitions.length; ++i)
                        $root.yiwang.v1.KeyTransition.encode(m.transitions[i], w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified ConfigEnvelope message, length delimited. Does not implicitly {@link yiwang.v1.ConfigEnvelope.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.ConfigEnvelope
             * @static
             * @param {yiwang.v1.ConfigEnvelope.$Properties} message ConfigEnvelope message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigEnvelope.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ConfigEnvelope message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.ConfigEnvelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.ConfigEnvelope & yiwang.v1.ConfigEnvelope.$Shape} ConfigEnvelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigEnvelope.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.ConfigEnvelope();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.document = v;
                            else
                                delete m.document;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.signature = v;
                            else
                                delete m.signature;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.keyId = v;
                            else
                                delete m.keyId;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.transitions && m.transitions.length))
                                m.transitions = [];
                            m.transitions.push($root.yiwang.v1.KeyTransition.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a ConfigEnvelope message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.ConfigEnvelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.ConfigEnvelope & yiwang.v1.ConfigEnvelope.$Shape} ConfigEnvelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigEnvelope.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ConfigEnvelope message.
             * @function verify
             * @memberof yiwang.v1.ConfigEnvelope
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ConfigEnvelope.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.document != null && $Object.hasOwnProperty.call(m, "document")) {
                    if (!(m.document && typeof m.document.length === "number" || $util.isString(m.document)))
                        return "document: buffer expected";
                }
                if (m.signature != null && $Object.hasOwnProperty.call(m, "signature")) {
                    if (!(m.signature && typeof m.signature.length === "number" || $util.isString(m.signature)))
                        return "signature: buffer expected";
                }
                if (m.keyId != null && $Object.hasOwnProperty.call(m, "keyId")) {
                    if (!$util.isString(m.keyId))
                        return "keyId: string expected";
                }
                if (m.transitions != null && $Object.hasOwnProperty.call(m, "transitions")) {
                    if (!$Array.isArray(m.transitions))
                        return "transitions: array expected";
                    for (var i = 0; i < m.transitions.length; ++i) {
                        {
                            var e = $root.yiwang.v1.KeyTransition.verify(m.transitions[i], q + 1);
                            if (e)
                                return "transitions." + e;
                        }
                    }
                }
                return null;
            };

            /**
             * Creates a ConfigEnvelope message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.ConfigEnvelope
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.ConfigEnvelope} ConfigEnvelope
             */
            ConfigEnvelope.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.ConfigEnvelope)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.ConfigEnvelope: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.ConfigEnvelope();
                if (d.document != null) {
                    if (d.document.length) {
                        if (typeof d.document === "string")
                            $util.base64.decode(d.document, m.document = $util.newBuffer($util.base64.length(d.document)), 0);
                        else if (d.document.length >= 0)
                            m.document = d.document;
                    }
                }
                if (d.signature != null) {
                    if (d.signature.length) {
                        if (typeof d.signature === "string")
                            $util.base64.decode(d.signature, m.signature = $util.newBuffer($util.base64.length(d.signature)), 0);
                        else if (d.signature.length >= 0)
                            m.signature = d.signature;
                    }
                }
                if (d.keyId != null) {
                    if (typeof d.keyId !== "string" || d.keyId.length) {
                        m.keyId = $String(d.keyId);
                    }
                }
                if (d.transitions) {
                    if (!$Array.isArray(d.transitions))
                        throw $TypeError(".yiwang.v1.ConfigEnvelope.transitions: array expected");
                    m.transitions = $Array(d.transitions.length);
                    for (var i = 0; i < d.transitions.length; ++i) {
                        if (!$util.isObject(d.transitions[i]))
                            throw $TypeError(".yiwang.v1.ConfigEnvelope.transitions: object expected");
                        m.transitions[i] = $root.yiwang.v1.KeyTransition.fromObject(d.transitions[i], q + 1);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a ConfigEnvelope message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.ConfigEnvelope
             * @static
             * @param {yiwang.v1.ConfigEnvelope} m ConfigEnvelope
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ConfigEnvelope.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.transitions = [];
                }
                if (o.defaults) {
                    if (o.bytes === $String)
                        d.document = "";
                    else {
                        d.document = [];
                        if (o.bytes !== $Array)
                            d.document = $util.newBuffer(d.document);
                    }
                    if (o.bytes === $String)
                        d.signature = "";
                    else {
                        d.signature = [];
                        if (o.bytes !== $Array)
                            d.signature = $util.newBuffer(d.signature);
                    }
                    d.keyId = "";
                }
                if (m.document != null && $Object.hasOwnProperty.call(m, "document")) {
                    d.document = o.bytes === $String ? $util.base64.encode(m.document, 0, m.document.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.document) : m.document;
                }
                if (m.signature != null && $Object.hasOwnProperty.call(m, "signature")) {
                    d.signature = o.bytes === $String ? $util.base64.encode(m.signature, 0, m.signature.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.signature) : m.signature;
                }
                if (m.keyId != null && $Object.hasOwnProperty.call(m, "keyId")) {
                    d.keyId = m.keyId;
                }
                if (m.transitions && m.transitions.length) {
                    d.transitions = $Array(m.transitions.length);
                    for (var j = 0; j < m.transitions.length; ++j) {
                        d.transitions[j] = $root.yiwang.v1.KeyTransition.toObject(m.transitions[j], o, q + 1);
                    }
                }
                return d;
            };

            /**
             * Converts this ConfigEnvelope to JSON.
             * @function toJSON
             * @memberof yiwang.v1.ConfigEnvelope
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ConfigEnvelope.prototype.toJSON = function() {
                return ConfigEnvelope.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ConfigEnvelope
             * @function getTypeUrl
             * @memberof yiwang.v1.ConfigEnvelope
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ConfigEnvelope.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.ConfigEnvelope";
            };

            return ConfigEnvelope;
        })();

        v1.KeyTransition = (function() {

            /**
             * Properties of a KeyTransition.
             * @typedef {Object} yiwang.v1.KeyTransition.$Properties
             * @property {Uint8Array|null} [statement] KeyTransition statement
             * @property {Uint8Array|null} [signature] KeyTransition signature
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a KeyTransition.
             * @memberof yiwang.v1
             * @interface IKeyTransition
             * @augments yiwang.v1.KeyTransition.$Properties
             * @deprecated Use yiwang.v1.KeyTransition.$Properties instead.
             */

            /**
             * Shape of a KeyTransition.
             * @typedef {yiwang.v1.KeyTransition.$Properties} yiwang.v1.KeyTransition.$Shape
             */

            /**
             * Constructs a new KeyTransition.
             * @memberof yiwang.v1
             * @classdesc Represents a KeyTransition.
             * @constructor
             * @param {yiwang.v1.KeyTransition.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const KeyTransition = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * KeyTransition statement.
             * @member {Uint8Array} statement
             * @memberof yiwang.v1.KeyTransition
             * @instance
             */
            KeyTransition.prototype.statement = $util.newBuffer([]);

            /**
             * KeyTransition signature.
             * @member {Uint8Array} signature
             * @memberof yiwang.v1.KeyTransition
             * @instance
             */
            KeyTransition.prototype.signature = $util.newBuffer([]);

            /**
             * Creates a new KeyTransition instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.KeyTransition
             * @static
             * @param {yiwang.v1.KeyTransition.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.KeyTransition} KeyTransition instance
             * @type {{
             *   (properties: yiwang.v1.KeyTransition.$Shape): yiwang.v1.KeyTransition & yiwang.v1.KeyTransition.$Shape;
             *   (properties?: yiwang.v1.KeyTransition.$Properties): yiwang.v1.KeyTransition;
             * }}
             */
            KeyTransition.create = function(properties) {
                return new KeyTransition(properties);
            };

            /**
             * Encodes the specified KeyTransition message. Does not implicitly {@link yiwang.v1.KeyTransition.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.KeyTransition
             * @static
             * @param {yiwang.v1.KeyTransition.$Properties} m KeyTransition message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KeyTransition.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.statement != null && $Object.hasOwnProperty.call(m, "statement") && m.statement.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.statement);
                if (m.signature != null && $Object.hasOwnProperty.call(m, "signature") && m.signature.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.signature);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified KeyTransition message, length delimited. Does not implicitly {@link yiwang.v1.KeyTransition.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.KeyTransition
             * @static
             * @param {yiwang.v1.KeyTransition.$Properties} message KeyTransition message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KeyTransition.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a KeyTransition message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.KeyTransition
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.KeyTransition & yiwang.v1.KeyTransition.$Shape} KeyTransition
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KeyTransition.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.KeyTransition();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.statement = v;
                            else
                                delete m.statement;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.signature = v;
                            else
                                delete m.signature;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a KeyTransition message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.KeyTransition
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.KeyTransition & yiwang.v1.KeyTransition.$Shape} KeyTransition
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KeyTransition.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a KeyTransition message.
             * @function verify
             * @memberof yiwang.v1.KeyTransition
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            KeyTransition.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.statement != null && $Object.hasOwnProperty.call(m, "statement")) {
                    if (!(m.statement && typeof m.statement.length === "number" || $util.isString(m.statement)))
                        return "statement: buffer expected";
                }
                if (m.signature != null && $Object.hasOwnProperty.call(m, "signature")) {
                    if (!(m.signature && typeof m.signature.length === "number" || $util.isString(m.signature)))
                        return "signature: buffer expected";
                }
                return null;
            };

            /**
             * Creates a KeyTransition message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.KeyTransition
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.KeyTransition} KeyTransition
             */
            KeyTransition.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.KeyTransition)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.KeyTransition: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.KeyTransition();
                if (d.statement != null) {
                    if (d.statement.length) {
                        if (typeof d.statement === "string")
                            $util.base64.decode(d.statement, m.statement = $util.newBuffer($util.base64.length(d.statement)), 0);
                        else if (d.statement.length >= 0)
                            m.statement = d.statement;
                    }
                }
                if (d.signature != null) {
                    if (d.signature.length) {
                        if (typeof d.signature === "string")
                            $util.base64.decode(d.signature, m.signature = $util.newBuffer($util.base64.length(d.signature)), 0);
                        else if (d.signature.length >= 0)
                            m.signature = d.signature;
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a KeyTransition message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.KeyTransition
             * @static
             * @param {yiwang.v1.KeyTransition} m KeyTransition
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            KeyTransition.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    if (o.bytes === $String)
                        d.statement = "";
                    else {
                        d.statement = [];
                        if (o.bytes !== $Array)
                            d.statement = $util.newBuffer(d.statement);
                    }
                    if (o.bytes === $String)
                        d.signature = "";
                    else {
                        d.signature = [];
                        if (o.bytes !== $Array)
                            d.signature = $util.newBuffer(d.signature);
                    }
                }
                if (m.statement != null && $Object.hasOwnProperty.call(m, "statement")) {
                    d.statement = o.bytes === $String ? $util.base64.encode(m.statement, 0, m.statement.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.statement) : m.statement;
                }
                if (m.signature != null && $Object.hasOwnProperty.call(m, "signature")) {
                    d.signature = o.bytes === $String ? $util.base64.encode(m.signature, 0, m.signature.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.signature) : m.signature;
                }
                return d;
            };

            /**
             * Converts this KeyTransition to JSON.
             * @function toJSON
             * @memberof yiwang.v1.KeyTransition
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            KeyTransition.prototype.toJSON = function() {
                return KeyTransition.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for KeyTransition
             * @function getTypeUrl
             * @memberof yiwang.v1.KeyTransition
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            KeyTransition.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.KeyTransition";
            };

            return KeyTransition;
        })();

        v1.KeyTransitionStatement = (function() {

            /**
             * Properties of a KeyTransitionStatement.
             * @typedef {Object} yiwang.v1.KeyTransitionStatement.$Properties
             * @property {Uint8Array|null} [newPublicKey] KeyTransitionStatement newPublicKey
             * @property {string|null} [oldKeyId] KeyTransitionStatement oldKeyId
             * @property {string|null} [newKeyId] KeyTransitionStatement newKeyId
             * @property {number|null} [issuedMs] KeyTransitionStatement issuedMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a KeyTransitionStatement.
             * @memberof yiwang.v1
             * @interface IKeyTransitionStatement
             * @augments yiwang.v1.KeyTransitionStatement.$Properties
             * @deprecated Use yiwang.v1.KeyTransitionStatement.$Properties instead.
             */

            /**
             * Shape of a KeyTransitionStatement.
             * @typedef {yiwang.v1.KeyTransitionStatement.$Properties} yiwang.v1.KeyTransitionStatement.$Shape
             */

            /**
             * Constructs a new KeyTransitionStatement.
             * @memberof yiwang.v1
             * @classdesc Represents a KeyTransitionStatement.
             * @constructor
             * @param {yiwang.v1.KeyTransitionStatement.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const KeyTransitionStatement = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * KeyTransitionStatement newPublicKey.
             * @member {Uint8Array} newPublicKey
             * @memberof yiwang.v1.KeyTransitionStatement
             * @instance
             */
            KeyTransitionStatement.prototype.newPublicKey = $util.newBuffer([]);

            /**
             * KeyTransitionStatement oldKeyId.
             * @member {string} oldKeyId
             * @memberof yiwang.v1.KeyTransitionStatement
             * @instance
             */
            KeyTransitionStatement.prototype.oldKeyId = "";

            /**
             * KeyTransitionStatement newKeyId.
             * @member {string} newKeyId
             * @memberof yiwang.v1.KeyTransitionStatement
             * @instance
             */
            KeyTransitionStatement.prototype.newKeyId = "";

            /**
             * KeyTransitionStatement issuedMs.
             * @member {number} issuedMs
             * @memberof yiwang.v1.KeyTransitionStatement
             * @instance
             */
            KeyTransitionStatement.prototype.issuedMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new KeyTransitionStatement instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.KeyTransitionStatement
             * @static
             * @param {yiwang.v1.KeyTransitionStatement.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.KeyTransitionStatement} KeyTransitionStatement instance
             * @type {{
             *   (properties: yiwang.v1.KeyTransitionStatement.$Shape): yiwang.v1.KeyTransitionStatement & yiwang.v1.KeyTransitionStatement.$Shape;
             *   (properties?: yiwang.v1.KeyTransitionStatement.$Properties): yiwang.v1.KeyTransitionStatement;
             * }}
             */
            KeyTransitionStatement.create = function(properties) {
                return new KeyTransitionStatement(properties);
            };

            /**
             * Encodes the specified KeyTransitionStatement message. Does not implicitly {@link yiwang.v1.KeyTransitionStatement.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.KeyTransitionStatement
             * @static
             * @param {yiwang.v1.KeyTransitionStatement.$Properties} m KeyTransitionStatement message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KeyTransitionStatement.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.newPublicKey != null && $Object.hasOwnProperty.call(m, "newPublicKey") && m.newPublicKey.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.newPublicKey);
                if (m.oldKeyId != null && $Object.hasOwnProperty.call(m, "oldKeyId") && m.oldKeyId !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.oldKeyId);
                if (m.newKeyId != null && $Object.hasOwnProperty.call(m, "newKeyId") && m.newKeyId !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.newKeyId);
                if (m.issuedMs != null && $Object.hasOwnProperty.call(m, "issuedMs") && (typeof m.issuedMs === "object" ? m.issuedMs.low || m.issuedMs.high : m.issuedMs !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).int64(m.issuedMs);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified KeyTransitionStatement message, length delimited. Does not implicitly {@link yiwang.v1.KeyTransitionStatement.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.KeyTransitionStatement
             * @static
             * @param {yiwang.v1.KeyTransitionStatement.$Properties} message KeyTransitionStatement message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KeyTransitionStatement.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a KeyTransitionStatement message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.KeyTransitionStatement
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.KeyTransitionStatement & yiwang.v1.KeyTransitionStatement.$Shape} KeyTransitionStatement
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KeyTransitionStatement.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.KeyTransitionStatement();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.newPublicKey = v;
                            else
                                delete m.newPublicKey;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.oldKeyId = v;
                            else
                                delete m.oldKeyId;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.newKeyId = v;
                            else
                                delete m.newKeyId;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.issuedMs = v;
                            else
                                delete m.issuedMs;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a KeyTransitionStatement message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.KeyTransitionStatement
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.KeyTransitionStatement & yiwang.v1.KeyTransitionStatement.$Shape} KeyTransitionStatement
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KeyTransitionStatement.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a KeyTransitionStatement message.
             * @function verify
             * @memberof yiwang.v1.KeyTransitionStatement
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            KeyTransitionStatement.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.newPublicKey != null && $Object.hasOwnProperty.call(m, "newPublicKey")) {
                    if (!(m.newPublicKey && typeof m.newPublicKey.length === "number" || $util.isString(m.newPublicKey)))
                        return "newPublicKey: buffer expected";
                }
                if (m.oldKeyId != null && $Object.hasOwnProperty.call(m, "oldKeyId")) {
                    if (!$util.isString(m.oldKeyId))
                        return "oldKeyId: string expected";
                }
                if (m.newKeyId != null && $Object.hasOwnProperty.call(m, "newKeyId")) {
                    if (!$util.isString(m.newKeyId))
                        return "newKeyId: string expected";
                }
                if (m.issuedMs != null && $Object.hasOwnProperty.call(m, "issuedMs")) {
                    if (!$util.isInteger(m.issuedMs) && !(m.issuedMs && $util.isInteger(m.issuedMs.low) && $util.isInteger(m.issuedMs.high)))
                        return "issuedMs: integer|Long expected";
                }
                return null;
            };

            /**
             * Creates a KeyTransitionStatement message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.KeyTransitionStatement
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.KeyTransitionStatement} KeyTransitionStatement
             */
            KeyTransitionStatement.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.KeyTransitionStatement)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.KeyTransitionStatement: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.KeyTransitionStatement();
                if (d.newPublicKey != null) {
                    if (d.newPublicKey.length) {
                        if (typeof d.newPublicKey === "string")
                            $util.base64.decode(d.newPublicKey, m.newPublicKey = $util.newBuffer($util.base64.length(d.newPublicKey)), 0);
                        else if (d.newPublicKey.length >= 0)
                            m.newPublicKey = d.newPublicKey;
                    }
                }
                if (d.oldKeyId != null) {
                    if (typeof d.oldKeyId !== "string" || d.oldKeyId.length) {
                        m.oldKeyId = $String(d.oldKeyId);
                    }
                }
                if (d.newKeyId != null) {
                    if (typeof d.newKeyId !== "string" || d.newKeyId.length) {
                        m.newKeyId = $String(d.newKeyId);
                    }
                }
                if (d.issuedMs != null) {
                    if (typeof d.issuedMs === "object" ? d.issuedMs.low || d.issuedMs.high : $Number(d.issuedMs) !== 0) {
                        if ($util.Long)
                            m.issuedMs = $util.Long.fromValue(d.issuedMs, false);
                        else if (typeof d.issuedMs === "string")
                            m.issuedMs = $parseInt(d.issuedMs, 10);
                        else if (typeof d.issuedMs === "number")
                            m.issuedMs = d.issuedMs;
                        else if (typeof d.issuedMs === "object")
                            m.issuedMs = new $util.LongBits(d.issuedMs.low >>> 0, d.issuedMs.high >>> 0).toNumber();
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a KeyTransitionStatement message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.KeyTransitionStatement
             * @static
             * @param {yiwang.v1.KeyTransitionStatement} m KeyTransitionStatement
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            KeyTransitionStatement.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    if (o.bytes === $String)
                        d.newPublicKey = "";
                    else {
                        d.newPublicKey = [];
                        if (o.bytes !== $Array)
                            d.newPublicKey = $util.newBuffer(d.newPublicKey);
                    }
                    d.oldKeyId = "";
                    d.newKeyId = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, false);
                        d.issuedMs = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.issuedMs = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (m.newPublicKey != null && $Object.hasOwnProperty.call(m, "newPublicKey")) {
                    d.newPublicKey = o.bytes === $String ? $util.base64.encode(m.newPublicKey, 0, m.newPublicKey.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.newPublicKey) : m.newPublicKey;
                }
                if (m.oldKeyId != null && $Object.hasOwnProperty.call(m, "oldKeyId")) {
                    d.oldKeyId = m.oldKeyId;
                }
                if (m.newKeyId != null && $Object.hasOwnProperty.call(m, "newKeyId")) {
                    d.newKeyId = m.newKeyId;
                }
                if (m.issuedMs != null && $Object.hasOwnProperty.call(m, "issuedMs")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.issuedMs = typeof m.issuedMs === "number" ? $BigInt(m.issuedMs) : $util.Long.fromBits(m.issuedMs.low >>> 0, m.issuedMs.high >>> 0, false).toBigInt();
                    else if (typeof m.issuedMs === "number")
                        d.issuedMs = o.longs === $String ? $String(m.issuedMs) : m.issuedMs;
                    else
                        d.issuedMs = o.longs === $String ? $util.Long.prototype.toString.call(m.issuedMs) : o.longs === $Number ? new $util.LongBits(m.issuedMs.low >>> 0, m.issuedMs.high >>> 0).toNumber() : m.issuedMs;
                }
                return d;
            };

            /**
             * Converts this KeyTransitionStatement to JSON.
             * @function toJSON
             * @memberof yiwang.v1.KeyTransitionStatement
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            KeyTransitionStatement.prototype.toJSON = function() {
                return KeyTransitionStatement.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for KeyTransitionStatement
             * @function getTypeUrl
             * @memberof yiwang.v1.KeyTransitionStatement
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            KeyTransitionStatement.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.KeyTransitionStatement";
            };

            return KeyTransitionStatement;
        })();

        v1.ConfigStatus = (function() {

            /**
             * Properties of a ConfigStatus.
             * @typedef {Object} yiwang.v1.ConfigStatus.$Properties
             * @property {number|null} [version] ConfigStatus version
             * @property {yiwang.v1.ConfigStatus.State|null} [state] ConfigStatus state
             * @property {string|null} [errorCode] ConfigStatus errorCode
             * @property {string|null} [detail] ConfigStatus detail
             * @property {number|null} [runningVersion] ConfigStatus runningVersion
             * @property {number|null} [tsMs] ConfigStatus tsMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ConfigStatus.
             * @memberof yiwang.v1
             * @interface IConfigStatus
             * @augments yiwang.v1.ConfigStatus.$Properties
             * @deprecated Use yiwang.v1.ConfigStatus.$Properties instead.
             */

            /**
             * Shape of a ConfigStatus.
             * @typedef {yiwang.v1.ConfigStatus.$Properties} yiwang.v1.ConfigStatus.$Shape
             */

            /**
             * Constructs a new ConfigStatus.
             * @memberof yiwang.v1
             * @classdesc Represents a ConfigStatus.
             * @constructor
             * @param {yiwang.v1.ConfigStatus.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ConfigStatus = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ConfigStatus version.
             * @member {number} version
             * @memberof yiwang.v1.ConfigStatus
             * @instance
             */
            ConfigStatus.prototype.version = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ConfigStatus state.
             * @member {yiwang.v1.ConfigStatus.State} state
             * @memberof yiwang.v1.ConfigStatus
             * @instance
             */
            ConfigStatus.prototype.state = 0;

            /**
             * ConfigStatus errorCode.
             * @member {string} errorCode
             * @memberof yiwang.v1.ConfigStatus
             * @instance
             */
            ConfigStatus.prototype.errorCode = "";

            /**
             * ConfigStatus detail.
             * @member {string} detail
             * @memberof yiwang.v1.ConfigStatus
             * @instance
             */
            ConfigStatus.prototype.detail = "";

            /**
             * ConfigStatus runningVersion.
             * @member {number} runningVersion
             * @memberof yiwang.v1.ConfigStatus
             * @instance
             */
            ConfigStatus.prototype.runningVersion = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ConfigStatus tsMs.
             * @member {number} tsMs
             * @memberof yiwang.v1.ConfigStatus
             * @instance
             */
            ConfigStatus.prototype.tsMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new ConfigStatus instance using the specified properties.
             * @function create
             * @memberof yiwang.v1.ConfigStatus
             * @static
             * @param {yiwang.v1.ConfigStatus.$Properties=} [properties] Properties to set
             * @returns {yiwang.v1.ConfigStatus} ConfigStatus instance
             * @type {{
             *   (properties: yiwang.v1.ConfigStatus.$Shape): yiwang.v1.ConfigStatus & yiwang.v1.ConfigStatus.$Shape;
             *   (properties?: yiwang.v1.ConfigStatus.$Properties): yiwang.v1.ConfigStatus;
             * }}
             */
            ConfigStatus.create = function(properties) {
                return new ConfigStatus(properties);
            };

            /**
             * Encodes the specified ConfigStatus message. Does not implicitly {@link yiwang.v1.ConfigStatus.verify|verify} messages.
             * @function encode
             * @memberof yiwang.v1.ConfigStatus
             * @static
             * @param {yiwang.v1.ConfigStatus.$Properties} m ConfigStatus message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigStatus.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.version != null && $Object.hasOwnProperty.call(m, "version") && (typeof m.version === "object" ? m.version.low || m.version.high : m.version !== 0))
                    w.uint32(/* id 1, wireType 0 =*/8).uint64(m.version);
                if (m.state != null && $Object.hasOwnProperty.call(m, "state") && m.state !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).int32(m.state);
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode") && m.errorCode !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.errorCode);
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail") && m.detail !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.detail);
                if (m.runningVersion != null && $Object.hasOwnProperty.call(m, "runningVersion") && (typeof m.runningVersion === "object" ? m.runningVersion.low || m.runningVersion.high : m.runningVersion !== 0))
                    w.uint32(/* id 5, wireType 0 =*/40).uint64(m.runningVersion);
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs") && (typeof m.tsMs === "object" ? m.tsMs.low || m.tsMs.high : m.tsMs !== 0))
                    w.uint32(/* id 6, wireType 0 =*/48).int64(m.tsMs);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Encodes the specified ConfigStatus message, length delimited. Does not implicitly {@link yiwang.v1.ConfigStatus.verify|verify} messages.
             * @function encodeDelimited
             * @memberof yiwang.v1.ConfigStatus
             * @static
             * @param {yiwang.v1.ConfigStatus.$Properties} message ConfigStatus message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigStatus.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ConfigStatus message from the specified reader or buffer.
             * @function decode
             * @memberof yiwang.v1.ConfigStatus
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {yiwang.v1.ConfigStatus & yiwang.v1.ConfigStatus.$Shape} ConfigStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigStatus.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.yiwang.v1.ConfigStatus();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.version = v;
                            else
                                delete m.version;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.state = v;
                            else
                                delete m.state;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorCode = v;
                            else
                                delete m.errorCode;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.detail = v;
                            else
                                delete m.detail;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.runningVersion = v;
                            else
                                delete m.runningVersion;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                                m.tsMs = v;
                            else
                                delete m.tsMs;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Decodes a ConfigStatus message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof yiwang.v1.ConfigStatus
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {yiwang.v1.ConfigStatus & yiwang.v1.ConfigStatus.$Shape} ConfigStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigStatus.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a ConfigStatus message.
             * @function verify
             * @memberof yiwang.v1.ConfigStatus
             * @static
             * @param {Object.<string,*>} m Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ConfigStatus.verify = function (m, q) {
                if (typeof m !== "object" || m === null)
                    return "object expected";
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    return "max depth exceeded";
                if (m.version != null && $Object.hasOwnProperty.call(m, "version")) {
                    if (!$util.isInteger(m.version) && !(m.version && $util.isInteger(m.version.low) && $util.isInteger(m.version.high)))
                        return "version: integer|Long expected";
                }
                if (m.state != null && $Object.hasOwnProperty.call(m, "state")) {
                    if (typeof m.state !== "number" || (m.state | 0) !== m.state)
                        return "state: enum value expected";
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    if (!$util.isString(m.errorCode))
                        return "errorCode: string expected";
                }
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail")) {
                    if (!$util.isString(m.detail))
                        return "detail: string expected";
                }
                if (m.runningVersion != null && $Object.hasOwnProperty.call(m, "runningVersion")) {
                    if (!$util.isInteger(m.runningVersion) && !(m.runningVersion && $util.isInteger(m.runningVersion.low) && $util.isInteger(m.runningVersion.high)))
                        return "runningVersion: integer|Long expected";
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    if (!$util.isInteger(m.tsMs) && !(m.tsMs && $util.isInteger(m.tsMs.low) && $util.isInteger(m.tsMs.high)))
                        return "tsMs: integer|Long expected";
                }
                return null;
            };

            /**
             * Creates a ConfigStatus message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof yiwang.v1.ConfigStatus
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {yiwang.v1.ConfigStatus} ConfigStatus
             */
            ConfigStatus.fromObject = function (d, q) {
                if (d instanceof $root.yiwang.v1.ConfigStatus)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".yiwang.v1.ConfigStatus: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.yiwang.v1.ConfigStatus();
                if (d.version != null) {
                    if (typeof d.version === "object" ? d.version.low || d.version.high : $Number(d.version) !== 0) {
                        if ($util.Long)
                            m.version = $util.Long.fromValue(d.version, true);
                        else if (typeof d.version === "string")
                            m.version = $parseInt(d.version, 10);
                        else if (typeof d.version === "number")
                            m.version = d.version;
                        else if (typeof d.version === "object")
                            m.version = new $util.LongBits(d.version.low >>> 0, d.version.high >>> 0).toNumber(true);
                    }
                }
                if (d.state !== 0 && (typeof d.state !== "string" || $root.yiwang.v1.ConfigStatus.State[d.state] !== 0)) {
                    switch (d.state) {
                    case "APPLIED":
                    case 0:
                        m.state = 0;
                        break;
                    case "FAILED":
                    case 1:
                        m.state = 1;
                        break;
                    case "REJECTED":
                    case 2:
                        m.state = 2;
                        break;
                    default:
                        if (typeof d.state === "number" && (d.state | 0) === d.state)
                            m.state = d.state;
                    }
                }
                if (d.errorCode != null) {
                    if (typeof d.errorCode !== "string" || d.errorCode.length) {
                        m.errorCode = $String(d.errorCode);
                    }
                }
                if (d.detail != null) {
                    if (typeof d.detail !== "string" || d.detail.length) {
                        m.detail = $String(d.detail);
                    }
                }
                if (d.runningVersion != null) {
                    if (typeof d.runningVersion === "object" ? d.runningVersion.low || d.runningVersion.high : $Number(d.runningVersion) !== 0) {
                        if ($util.Long)
                            m.runningVersion = $util.Long.fromValue(d.runningVersion, true);
                        else if (typeof d.runningVersion === "string")
                            m.runningVersion = $parseInt(d.runningVersion, 10);
                        else if (typeof d.runningVersion === "number")
                            m.runningVersion = d.runningVersion;
                        else if (typeof d.runningVersion === "object")
                            m.runningVersion = new $util.LongBits(d.runningVersion.low >>> 0, d.runningVersion.high >>> 0).toNumber(true);
                    }
                }
                if (d.tsMs != null) {
                    if (typeof d.tsMs === "object" ? d.tsMs.low || d.tsMs.high : $Number(d.tsMs) !== 0) {
                        if ($util.Long)
                            m.tsMs = $util.Long.fromValue(d.tsMs, false);
                        else if (typeof d.tsMs === "string")
                            m.tsMs = $parseInt(d.tsMs, 10);
                        else if (typeof d.tsMs === "number")
                            m.tsMs = d.tsMs;
                        else if (typeof d.tsMs === "object")
                            m.tsMs = new $util.LongBits(d.tsMs.low >>> 0, d.tsMs.high >>> 0).toNumber();
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a ConfigStatus message. Also converts values to other types if specified.
             * @function toObject
             * @memberof yiwang.v1.ConfigStatus
             * @static
             * @param {yiwang.v1.ConfigStatus} m ConfigStatus
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ConfigStatus.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.version = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.version = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.state = o.enums === $String ? "APPLIED" : 0;
                    d.errorCode = "";
                    d.detail = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.runningVersion = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.runningVersion = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, false);
                        d.tsMs = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.tsMs = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (m.version != null && $Object.hasOwnProperty.call(m, "version")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.version = typeof m.version === "number" ? $BigInt(m.version) : $util.Long.fromBits(m.version.low >>> 0, m.version.high >>> 0, true).toBigInt();
                    else if (typeof m.version === "number")
                        d.version = o.longs === $String ? $String(m.version) : m.version;
                    else
                        d.version = o.longs === $String ? $util.Long.prototype.toString.call(m.version) : o.longs === $Number ? new $util.LongBits(m.version.low >>> 0, m.version.high >>> 0).toNumber(true) : m.version;
                }
                if (m.state != null && $Object.hasOwnProperty.call(m, "state")) {
                    d.state = o.enums === $String ? $root.yiwang.v1.ConfigStatus.State[m.state] === $undefined ? m.state : $root.yiwang.v1.ConfigStatus.State[m.state] : m.state;
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    d.errorCode = m.errorCode;
                }
                if (m.detail != null && $Object.hasOwnProperty.call(m, "detail")) {
                    d.detail = m.detail;
                }
                if (m.runningVersion != null && $Object.hasOwnProperty.call(m, "runningVersion")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.runningVersion = typeof m.runningVersion === "number" ? $BigInt(m.runningVersion) : $util.Long.fromBits(m.runningVersion.low >>> 0, m.runningVersion.high >>> 0, true).toBigInt();
                    else if (typeof m.runningVersion === "number")
                        d.runningVersion = o.longs === $String ? $String(m.runningVersion) : m.runningVersion;
                    else
                        d.runningVersion = o.longs === $String ? $util.Long.prototype.toString.call(m.runningVersion) : o.longs === $Number ? new $util.LongBits(m.runningVersion.low >>> 0, m.runningVersion.high >>> 0).toNumber(true) : m.runningVersion;
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.tsMs = typeof m.tsMs === "number" ? $BigInt(m.tsMs) : $util.Long.fromBits(m.tsMs.low >>> 0, m.tsMs.high >>> 0, false).toBigInt();
                    else if (typeof m.tsMs === "number")
                        d.tsMs = o.longs === $String ? $String(m.tsMs) : m.tsMs;
                    else
                        d.tsMs = o.longs === $String ? $util.Long.prototype.toString.call(m.tsMs) : o.longs === $Number ? new $util.LongBits(m.tsMs.low >>> 0, m.tsMs.high >>> 0).toNumber() : m.tsMs;
                }
                return d;
            };

            /**
             * Converts this ConfigStatus to JSON.
             * @function toJSON
             * @memberof yiwang.v1.ConfigStatus
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ConfigStatus.prototype.toJSON = function() {
                return ConfigStatus.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ConfigStatus
             * @function getTypeUrl
             * @memberof yiwang.v1.ConfigStatus
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ConfigStatus.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/yiwang.v1.ConfigStatus";
            };

            /**
             * State enum.
             * @name yiwang.v1.ConfigStatus.State
             * @enum {number}
             * @property {number} APPLIED=0 APPLIED value
             * @property {number} FAILED=1 FAILED value
             * @property {number} REJECTED=2 REJECTED value
             */
            ConfigStatus.State = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "APPLIED"] = 0;
                values[valuesById[1] = "FAILED"] = 1;
                values[valuesById[2] = "REJECTED"] = 2;
                return values;
            })();

            return ConfigStatus;
        })();

        return v1;
    })();

    return yiwang;
})();

export {
  $root as default
};
