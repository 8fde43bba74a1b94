/**
 * tfjs's WebGPU backend on a device with the `subgroups` feature, for kernels that share loads across a
 * subgroup (webgpuMatMul.ts). tfjs requests its device without it and writes its own entry point ahead of a
 * program's code, where WGSL wants `enable subgroups;` first and the lane index is a builtin of the entry point:
 * programs that ask for it (SUBGROUP_MARKER in their code) are rewritten as the device compiles them.
 */
import * as tf from '@tensorflow/tfjs';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** Put in a program's code to have it compiled with subgroups, `subgroupLane` set to its lane. */
export const SUBGROUP_MARKER = '// uses subgroups';
/** The subgroup size the kernels are written for: SwiftShader's. */
export const SUBGROUP_SIZE = 4;

let enabled = false;

/** Whether the WebGPU backend's device has subgroups of SUBGROUP_SIZE lanes. */
export function subgroupsEnabled(): boolean {
  return enabled;
}

function withSubgroups(code: string): string {
  if (!code.includes(SUBGROUP_MARKER)) return code;
  const entry = '@builtin(local_invocation_id) LocalId : vec3<u32>,';
  if (!code.includes(entry)) throw new Error('tfjs-backend-webgpu changed its entry point: subgroup kernels cannot be compiled');
  return `enable subgroups;\nvar<private> subgroupLane : u32;\n${code
    .replace(entry, `${entry}\n                @builtin(subgroup_invocation_id) SubgroupLane : u32,`)
    .replace('localId = LocalId;', 'localId = LocalId;\n        subgroupLane = SubgroupLane;')}`;
}

/**
 * Registers the 'webgpu' backend on a device with subgroups when the adapter has them with exactly
 * SUBGROUP_SIZE lanes; otherwise leaves tfjs's registration as it is. Call before the backend is first set.
 */
export async function registerSubgroupBackend(): Promise<boolean> {
  // Once: registering again would drop the backend in use, and every tensor on it.
  if (enabled) return true;
  const adapter = await navigator.gpu?.requestAdapter();
  const info = adapter?.info as (GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number }) | undefined;
  if (!adapter || !adapter.features.has('subgroups') || info?.subgroupMinSize !== SUBGROUP_SIZE || info.subgroupMaxSize !== SUBGROUP_SIZE) return false;
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', async () => {
    // As tfjs's own factory, plus subgroups.
    const features = ['timestamp-query', 'subgroups'].filter((f) => adapter.features.has(f)) as GPUFeatureName[];
    const { limits } = adapter;
    const device = await adapter.requestDevice({
      requiredFeatures: features,
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    const create = device.createShaderModule.bind(device);
    device.createShaderModule = (descriptor) => create({ ...descriptor, code: withSubgroups(descriptor.code) });
    return new WebGPUBackend(device, adapter.info);
  }, 3);
  enabled = true;
  return true;
}
