import { Checkbox, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ROLE_NAMES, type RoleName } from './admin-queries';

/** The roles as labelled checkboxes; the API alone decides which combinations are allowed. */
export function RoleCheckboxes({
  value,
  onChange,
  label,
  description,
}: {
  value: RoleName[];
  onChange: (roles: RoleName[]) => void;
  label?: string;
  description?: string;
}) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group
      label={label ?? t('admin.roles')}
      description={description ?? t('admin.rolesHelp')}
      value={value}
      onChange={(roles) => onChange(roles as RoleName[])}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
        {ROLE_NAMES.map((role) => (
          <Checkbox key={role} value={role} label={t(`roles.${role}`)} />
        ))}
      </SimpleGrid>
    </Checkbox.Group>
  );
}
