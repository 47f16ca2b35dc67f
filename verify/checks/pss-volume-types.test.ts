import { testCheck, APP, POD, enforced } from '../testing/broken-cases.js';
import { pssVolumeTypes } from './pss-volume-types.js';

testCheck(pssVolumeTypes, [
  {
    title: 'an NFS volume',
    breakIt: (p) => p.set(APP, `${POD}.volumes[0]`, { name: 'tmp', nfs: { server: 'nfs.example.com', path: '/' } }),
    expect: enforced(/volume type nfs is not allowed/),
  },
]);
