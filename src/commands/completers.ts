// Completers shared by command declarations.
import type { Completer } from './types.js';

export const completeInterfaceName: Completer = async ({ system }, partial) => {
  const { interfaces } = await system.listInterfaces();
  return interfaces.map((iface) => iface.name).filter((name) => name.startsWith(partial));
};
