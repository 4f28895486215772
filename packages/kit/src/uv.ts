/**
 * uv, pinned: the version ferrowheel runs when a project's uv.lock must be read and no uv is on
 * PATH (the test action exports the lock with it), and the SHA-256 of each of its platform
 * wheels on PyPI. One version for every runner, the same the repository's own tools venv uses
 * (scripts/requirements-tools.txt; a test keeps them equal), so a lock that venv's uv wrote is one
 * this uv reads. To move the pin: change the version in both places and replace the table with
 * the new release's wheel digests from https://pypi.org/pypi/uv/json.
 */
import {
  ensurePinnedTool,
  type PinnedInstall,
  type PinnedTool,
  type PinnedToolContext,
} from './pinned-tool.js';

export const UV: PinnedTool = {
  name: 'uv',
  version: '0.13.8',
  program: 'uv',
  versionArgs: ['--version'],
  wheels: {
    'uv-0.13.8-py3-none-linux_armv6l.whl': '0ec33661a14e38dea8dfb18167d2a4a5c7fe3d476c62dd8eb6acf5f378727201',
    'uv-0.13.8-py3-none-macosx_10_12_x86_64.whl':
      'b7124ca1956ec2e476a1003ea5715a15f0266afaec37f4dc9c6972ba8183e6d1',
    'uv-0.13.8-py3-none-macosx_11_0_arm64.whl':
      '62b6943c7fd64fac6854f780bea6e0359e5a5bc3241f83ee357bb38276afac49',
    'uv-0.13.8-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl':
      '0b3e8b1a4f5e405e31e2ff33de8af4744831e9f7338539671efbd8c3c94e791d',
    'uv-0.13.8-py3-none-manylinux_2_17_armv7l.manylinux2014_armv7l.musllinux_1_1_armv7l.whl':
      '9cf0b7b12f13da6ab1c85694ab618d97a2bbd0c904cdea7f0172fb1dd768b9d5',
    'uv-0.13.8-py3-none-manylinux_2_17_armv7l.manylinux2014_armv7l.whl':
      '86f1319f851e645bc295bb921e6be19beae7e69216c75ae809010ca7817393aa',
    'uv-0.13.8-py3-none-manylinux_2_17_i686.manylinux2014_i686.whl':
      '5ace7ec339798aca31be51a75fa7c1544fe84e02fadd17a9fa3324813bbaf237',
    'uv-0.13.8-py3-none-manylinux_2_17_ppc64le.manylinux2014_ppc64le.whl':
      '6999618363d03a0a085a9491db319e00b461dbda205db06ef1fd55dfcbf6472b',
    'uv-0.13.8-py3-none-manylinux_2_17_s390x.manylinux2014_s390x.whl':
      '13050c64530a1ccfc223af0306a8152d41c0d36ea63bc19161221ca65dfe480a',
    'uv-0.13.8-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl':
      'e18a57b8b352eb7c8feb317b9f6f533c8f0ad9673fd6cf34bbe3cf1a9f6a8984',
    'uv-0.13.8-py3-none-manylinux_2_28_aarch64.whl':
      '5337c30bb893b4f9ce0ceb921ba2da0d13f649da644f40ad3bef84083bef0203',
    'uv-0.13.8-py3-none-manylinux_2_31_riscv64.musllinux_1_1_riscv64.whl':
      'bfcaada3989c7716ad4b58673cd1413fad4fdc6b2e446f9553db0ef18da20850',
    'uv-0.13.8-py3-none-manylinux_2_31_riscv64.whl':
      'b26fe533dc6153787e40443b7d9428ed41349127bff36a954ec82c48be01ded9',
    'uv-0.13.8-py3-none-musllinux_1_1_i686.whl':
      '63d807451e63c8d21b1b33c945af16438ac9d8ffddc59b31ce69c692135891f5',
    'uv-0.13.8-py3-none-musllinux_1_1_x86_64.whl':
      '29451c60f5e8b07403e0a175d5229efc36b0289b34143ff4aaa499a5dd52553a',
    'uv-0.13.8-py3-none-win32.whl': '87614f62b09e3571593ffe01bf2e1dccb8df928a8423324dba80c6d0e33060eb',
    'uv-0.13.8-py3-none-win_amd64.whl': 'cfbc13020a64cdf2f116d2936824c38edbf41e5c07f1ea291baf02e31ebf3ed0',
    'uv-0.13.8-py3-none-win_arm64.whl': 'b4184029b1b7c54409b9cd4372c73a36ef9c2d1d7cf3b0aca59c8b1932f041dc',
  },
};

/** The pinned uv's program: from the tool cache, else from its verified PyPI wheel. */
export function ensureUv(ctx: PinnedToolContext): Promise<PinnedInstall> {
  return ensurePinnedTool(UV, ctx);
}
