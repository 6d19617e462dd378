import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(BRIDGE_NAME, createBridge(ipcRenderer));
