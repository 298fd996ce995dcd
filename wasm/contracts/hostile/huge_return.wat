;; Asks the host to return 2 GiB of data: trap, the host never reads it.
(module
  (import "env" "set_return" (func $set_return (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "run") (call $set_return (i32.const 0) (i32.const 0x7FFFFFFF))))
