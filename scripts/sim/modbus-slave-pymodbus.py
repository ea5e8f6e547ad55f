#!/usr/bin/python3
"""A reference Modbus RTU slave: pymodbus (Debian python3-pymodbus) serving the given units on a
serial port, to check the agent's master and our own simulator (modbus-slave.ts) against an
independent implementation.

    /usr/bin/python3 scripts/sim/modbus-slave-pymodbus.py PORT BAUD UNITS_JSON
    UNITS_JSON = {"1": {"holding": {"100": 0}, "input": {"0": 9, ...}, "coils": {}, "discrete": {}}}

Addresses are zero-based protocol addresses; a read of an address a unit does not have is answered
with exception 2 (illegal data address), units not listed do not answer.
"""
import json
import logging
import sys

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext, ModbusSparseDataBlock
from pymodbus.server import StartSerialServer
from pymodbus.transaction import ModbusRtuFramer


def block(table):
    values = {int(k): v for k, v in (table or {}).items()}
    return ModbusSparseDataBlock(values if values else {65535: 0})


def main():
    port, baud, units = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    logging.basicConfig(level=logging.CRITICAL)
    slaves = {
        int(unit): ModbusSlaveContext(
            hr=block(u.get("holding")), ir=block(u.get("input")),
            co=block({k: bool(v) for k, v in (u.get("coils") or {}).items()}),
            di=block({k: bool(v) for k, v in (u.get("discrete") or {}).items()}),
            zero_mode=True,
        )
        for unit, u in units.items()
    }
    context = ModbusServerContext(slaves=slaves, single=False)
    print("pymodbus slave on", port, flush=True)
    StartSerialServer(context=context, framer=ModbusRtuFramer, port=port, baudrate=baud, bytesize=8, parity="N", stopbits=1, timeout=0.005)


if __name__ == "__main__":
    main()
