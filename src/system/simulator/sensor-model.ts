// What a real sensor runs, as the appliance's `system sanity` names it.
export const SENSOR_SERVICES = [
  'C-Cabra Engine',
  'Cache Layer',
  'Core API',
  'Health Monitor',
  'Horizon Agent 1',
  'Horizon Parser',
  'Network Processor',
  'Persistence Layer',
  'Profiling Service',
  'Traffic Monitor',
  'Upload Manager Service',
  'Watch Dog',
  'Web Apps',
] as const;

/** The appliance's hardware profile, printed after "System is UP!". */
export const PROFILE = 'medium';

/** How long a simulated restart keeps the sensor unreachable, then its services starting. */
export const RESTART_UNAVAILABLE_MS = 3_000;
export const RESTART_SERVICE_STAGGER_MS = 400;
