// eSpeak NG's API (libespeak-ng-dev's headers), loaded on first use: see CESpeakNG.c.
#include <espeak-ng/speak_lib.h>
