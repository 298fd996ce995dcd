// First-touch cost of anonymous memory on this VM (issue 12, round 17; docs/PERFORMANCE.md, job section, "Round 17"):
// mmap N MB, write one byte per 4 KB page, report us per page (user+system CPU and wall), then touch again (already
// backed: the no-fault cost). Measured here: 12.8-13.9 us of CPU per first touch (~6 us system), 0.04-0.05 us after.
// A JVM thread that allocates into never-touched heap pays that per page; the job's preparers do not (~50 faults a
// job): the generator and GC threads fault the heap in first.
//   gcc -O2 -o /tmp/firsttouch docs/probes/FirstTouch.c && /tmp/firsttouch 512
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/resource.h>
static double cpu(){struct rusage r; getrusage(RUSAGE_SELF,&r); return r.ru_utime.tv_sec*1e6+r.ru_utime.tv_usec+r.ru_stime.tv_sec*1e6+r.ru_stime.tv_usec;}
static double sys_(){struct rusage r; getrusage(RUSAGE_SELF,&r); return r.ru_stime.tv_sec*1e6+r.ru_stime.tv_usec;}
static double wall(){struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec*1e6+t.tv_nsec/1e3;}
int main(int argc,char**argv){
  size_t mb = argc>1? atol(argv[1]):1024; size_t n = mb<<20; size_t pages=n/4096;
  for(int pass=0;pass<2;pass++){
    char*p=mmap(0,n,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
    double c0=cpu(),s0=sys_(),w0=wall();
    for(size_t i=0;i<n;i+=4096)p[i]=1;
    double c1=cpu(),s1=sys_(),w1=wall();
    for(size_t i=0;i<n;i+=4096)p[i]=2;
    double c2=cpu(),w2=wall();
    printf("pass %d: %zu MB first touch %.2f us/page cpu (%.2f sys), %.2f wall; second touch %.3f us/page cpu\n",pass,mb,(c1-c0)/pages,(s1-s0)/pages,(w1-w0)/pages,(c2-c1)/pages);
    munmap(p,n);
  }
}
