/**
 * The Acme TH-n test profile (3-byte CoAP payload: temperature i16 × 0.1 °C, humidity u8 %RH) that
 * the profile tests write into an agent's profile directory; `extra` is appended as given.
 */
export function thProfile(o: { model: string; coapPath: string; temperatureMax?: number; extra?: string }): string {
  return `
[profile]
vendor = "Acme"
model = "${o.model}"
[match]
coap_path = "${o.coapPath}"
[layout]
length = 3
fields = [{ name = "t", type = "i16", scale = 0.1, unit = "Cel" }, { name = "rh", type = "u8", unit = "%RH" }]
[metrics.temperature]
from = "t"
unit = "Cel"
${o.temperatureMax === undefined ? '' : `max = ${o.temperatureMax}\n`}[metrics.humidity]
from = "rh"
unit = "%RH"
${o.extra ?? ''}`;
}

/** The overheat rule alarm (above 50 °C, cleared at 45 °C) of the TH-n profile. */
export const OVERHEAT_ALARM = `[[alarms]]
metric = "temperature"
above = 50
clear = 45
event = "overheat"
severity = "critical"
`;
