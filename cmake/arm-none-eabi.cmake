# Cross toolchain: Debian's arm-none-eabi GCC with picolibc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# ARMv7-A without VFP: the monitor must never touch guest FP state.
set(HV_ARCH_FLAGS "-march=armv7-a -marm -mfloat-abi=soft --specs=picolibc.specs")
set(CMAKE_C_FLAGS_INIT "${HV_ARCH_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${HV_ARCH_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${HV_ARCH_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles")
