;; Fungible token: one i64 balance per holder, slot = holder address (32 bytes).
;;   init(supply: i64 LE)            mints the whole supply to the deployer
;;   transfer(to: [32]u8, amount: i64 LE)   reverts "insufficient balance"; emits from|to|amount
;;   balance_of(holder: [32]u8)      returns the balance (8 bytes LE)
;; Memory map: 0..32 caller, 32..64 recipient, 64..72 amount, 128.. scratch.
(module
  (import "env" "input_size" (func $input_size (result i32)))
  (import "env" "input_copy" (func $input_copy (param i32)))
  (import "env" "storage_get_i64" (func $get (param i32) (result i64)))
  (import "env" "storage_set_i64" (func $set (param i32 i64)))
  (import "env" "caller" (func $caller (param i32)))
  (import "env" "emit_event" (func $emit (param i32 i32)))
  (import "env" "revert" (func $revert (param i32 i32)))
  (import "env" "set_return" (func $set_return (param i32 i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 256) "insufficient balance")
  (data (i32.const 288) "bad input")

  (func $expect_input (param $len i32)
    (if (i32.ne (call $input_size) (local.get $len))
      (then (call $revert (i32.const 288) (i32.const 9)))))

  (func (export "init")
    (call $expect_input (i32.const 8))
    (call $input_copy (i32.const 64))
    (call $caller (i32.const 0))
    (call $set (i32.const 0) (i64.load (i32.const 64))))

  (func (export "transfer")
    (local $from_balance i64)
    (local $amount i64)
    (call $expect_input (i32.const 40))
    (call $input_copy (i32.const 32))
    (call $caller (i32.const 0))
    (local.set $amount (i64.load (i32.const 64)))
    (local.set $from_balance (call $get (i32.const 0)))
    (if (i64.lt_u (local.get $from_balance) (local.get $amount))
      (then (call $revert (i32.const 256) (i32.const 20))))
    (call $set (i32.const 0) (i64.sub (local.get $from_balance) (local.get $amount)))
    (call $set (i32.const 32) (i64.add (call $get (i32.const 32)) (local.get $amount)))
    (call $emit (i32.const 0) (i32.const 72)))

  (func (export "balance_of")
    (call $expect_input (i32.const 32))
    (call $input_copy (i32.const 32))
    (i64.store (i32.const 128) (call $get (i32.const 32)))
    (call $set_return (i32.const 128) (i32.const 8))))
