// The eSpeak NG functions Phonoscope calls, each forwarding to libespeak-ng.so.1, which is
// opened on the first call (see CLibraryLoader.h). Prototypes as speak_lib.h declares them; a
// function Phonoscope starts to use must be added here.
#include "CESpeakNG.h"

#include "CLibraryLoader.h"

static ps_library espeak = {"libespeak-ng.so.1", "libespeak-ng1", 0};

PS_FORWARD(espeak, int, espeak_Initialize, (espeak_AUDIO_OUTPUT output, int buflength, const char *path, int options), (output, buflength, path, options))
PS_FORWARD(espeak, espeak_ERROR, espeak_SetParameter, (espeak_PARAMETER parameter, int value, int relative), (parameter, value, relative))
PS_FORWARD_VOID(espeak, espeak_SetSynthCallback, (t_espeak_callback* SynthCallback), (SynthCallback))
PS_FORWARD(espeak, espeak_ERROR, espeak_SetVoiceByName, (const char *name), (name))
PS_FORWARD(espeak, espeak_ERROR, espeak_Synth, (const void *text, size_t size, unsigned int position, espeak_POSITION_TYPE position_type, unsigned int end_position, unsigned int flags, unsigned int* unique_identifier, void* user_data), (text, size, position, position_type, end_position, flags, unique_identifier, user_data))
PS_FORWARD(espeak, const char *, espeak_TextToPhonemes, (const void **textptr, int textmode, int phonememode), (textptr, textmode, phonememode))
