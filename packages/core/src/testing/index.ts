/**
 * `@sneakpipe/core/testing`: the contract suites every source, sink and
 * warehouse passes, as vitest suites to run against your own implementation
 * (the built-in connectors run the same ones). Needs `vitest` (an optional
 * peer dependency of `@sneakpipe/core`); the main entry never loads this one.
 *
 * @packageDocumentation
 * @module @sneakpipe/core/testing
 */
export { describeSourceContract, type SourceHarness, type StoppableSource } from './source-contract.js';
export { describeSinkContract, type SinkUnderTest, type SinkContractRecords } from './sink-contract.js';
export { describeWarehouseContract, type WarehouseContractHarness } from './warehouse-contract.js';
