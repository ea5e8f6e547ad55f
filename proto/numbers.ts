/**
 * 64-bit fields decode as plain numbers, never as Long objects: whether protobufjs finds the
 * `long` package depends on what else is installed, so the choice is made here, before the
 * generated code loads (it reads util.Long when it defines its defaults). Every value the
 * contract carries fits a double exactly (see batch-codec.ts MAX_EXACT).
 */
import $protobuf from 'protobufjs/minimal.js';

$protobuf.util.Long = undefined as unknown as typeof $protobuf.util.Long;
$protobuf.configure();
