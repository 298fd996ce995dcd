// Host-speed calibrator (issue 12, round 17; docs/PERFORMANCE.md, job section, "Round 17: the ML-DSA preparers'
// bimodal CPU"): once a second, 2M steps of 8 interleaved rotate/xor streams (high ILP, like Keccak's rounds), timed
// by this thread's CPU clock, printed as ns per step with the UTC time. Run it beside measured launches and read it
// against their CPU per check: this guest has no hardware counters and no steal time, so a slower host (frequency, a
// busy SMT sibling competing for execution ports) shows only as more CPU per unit of work. A latency-bound chain
// (one multiply-add after another) does not see a busy sibling; this one does. ~0.3 % of one vCPU.
//   gcc -O2 -o /tmp/hostspeed docs/probes/HostSpeed.c && /tmp/hostspeed 3600 > /tmp/hostspeed.log &
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <stdint.h>
#include <unistd.h>
static double now(clockid_t c){struct timespec t; clock_gettime(c,&t); return t.tv_sec*1e9+t.tv_nsec;}
#define R(x,k) (((x)<<(k))|((x)>>(64-(k))))
int main(int argc,char**argv){
  int secs = argc>1 ? atoi(argv[1]) : 3600; volatile uint64_t sink=0;
  for(int s=0;s<secs;s++){
    uint64_t a=s+1,b=2,c=3,d=4,e=5,f=6,g=7,h=8; double c0=now(CLOCK_THREAD_CPUTIME_ID);
    for(int i=0;i<2000000;i++){
      a^=R(b,13)^c; b^=R(c,7)^d; c^=R(d,17)^e; d^=R(e,29)^f; e^=R(f,3)^g; f^=R(g,41)^h; g^=R(h,11)^a; h^=R(a,23)^b;
    }
    double c1=now(CLOCK_THREAD_CPUTIME_ID); sink+=a^b^c^d^e^f^g^h;
    time_t t=time(NULL); struct tm *m=gmtime(&t); char buf[16]; strftime(buf,16,"%H:%M:%S",m);
    printf("%s ilp %.3f ns/step\n", buf, (c1-c0)/2e6); fflush(stdout);
    sleep(1);
  }
  return 0;
}
