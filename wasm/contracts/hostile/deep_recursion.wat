;; Unbounded recursion: must end in call-depth-exceeded, whatever the JVM stack size.
(module
  (memory (export "memory") 1)
  (func $down (param $n i64) (call $down (i64.add (local.get $n) (i64.const 1))))
  (func (export "run") (call $down (i64.const 0))))
