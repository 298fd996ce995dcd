;; Counter on one hot slot (slot 0 = 32 zero bytes): every increment conflicts with every other.
;;   increment()  adds 1 and emits the new value (8 bytes LE)
;;   get()        returns the value (8 bytes LE)
(module
  (import "env" "storage_get_i64" (func $get (param i32) (result i64)))
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (import "env" "emit_event" (func $emit (param i32 i32)))
  (import "env" "set_return" (func $set_return (param i32 i32)))
  (memory (export "memory") 1 1)

  (func (export "increment")
    (i64.store (i32.const 64) (i64.add (call $get (i32.const 0)) (i64.const 1)))
    (call $set (i32.const 0) (i64.load (i32.const 64)))
    (call $emit (i32.const 64) (i32.const 8)))

  (func (export "get")
    (i64.store (i32.const 64) (call $get (i32.const 0)))
    (call $set_return (i32.const 64) (i32.const 8))))
