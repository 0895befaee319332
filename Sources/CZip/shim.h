// The public libzip API; nothing needs wrapping, Swift calls it directly.
#include <zip.h>
