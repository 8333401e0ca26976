/**
 * The link on a real serial port, through `serialport`: `openConcertPort(path)` opens the port
 * (the terminal's `SERIAL_PORT` of config.txt, e.g. `/dev/ttyUSB0` or `COM8`) and gives back a
 * `ConcertDriver` on it. The line settings are not in the seed: 9600 baud, 8 data bits, no parity,
 * 1 stop bit by default; pass your terminal's.
 */
import { SerialPort } from "serialport";
import { ConcertDriver, type ConcertDriverOptions } from "./driver.js";

export interface ConcertPortOptions extends ConcertDriverOptions {
  /** Default 9600. */
  baudRate?: number;
  /** Default 8. */
  dataBits?: 5 | 6 | 7 | 8;
  /** Default `none`. */
  parity?: "none" | "even" | "odd" | "mark" | "space";
  /** Default 1. */
  stopBits?: 1 | 1.5 | 2;
}

/** A driver on an open serial port; `close()` closes both. */
export interface ConcertPort {
  readonly port: SerialPort;
  readonly driver: ConcertDriver;
  close(): Promise<void>;
}

/** Opens a `serialport` port with the given line settings. */
export function openSerialPort(
  path: string,
  options: Pick<ConcertPortOptions, "baudRate" | "dataBits" | "parity" | "stopBits"> = {},
): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port: SerialPort = new SerialPort(
      {
        path,
        baudRate: options.baudRate ?? 9600,
        dataBits: options.dataBits ?? 8,
        parity: options.parity ?? "none",
        stopBits: options.stopBits ?? 1,
      },
      (error) => (error ? reject(error) : resolve(port)),
    );
  });
}

/** Closes a `serialport` port (resolves at once when it is not open). */
export function closeSerialPort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

/** Opens the terminal's serial port and puts a `ConcertDriver` on it. */
export async function openConcertPort(path: string, options: ConcertPortOptions = {}): Promise<ConcertPort> {
  const { baudRate, dataBits, parity, stopBits, ...driverOptions } = options;
  const lineSettings = {
    ...(baudRate === undefined ? {} : { baudRate }),
    ...(dataBits === undefined ? {} : { dataBits }),
    ...(parity === undefined ? {} : { parity }),
    ...(stopBits === undefined ? {} : { stopBits }),
  };
  const port = await openSerialPort(path, lineSettings);
  const driver = new ConcertDriver(port, driverOptions);
  return {
    port,
    driver,
    async close() {
      driver.close();
      await closeSerialPort(port);
    },
  };
}
